# shellcheck shell=bash
# Set-up shared by scripts/serve and scripts/test: sourced, never run on its own.
#
# Every step is cheap when nothing changed, so a second start takes seconds: the virtual
# environment is reinstalled only when pyproject.toml changes (its hash is kept in .venv),
# node_modules only when package-lock.json changes (its hash is kept in node_modules), and
# Debian packages and services are touched only when they are missing or stopped.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
export VIRTUAL_ENV="$VENV"
export PATH="$VENV/bin:$PATH"

say() { printf '==> %s\n' "$*" >&2; }
die() {
    printf '\nerror: %s\n' "$*" >&2
    exit 1
}

# Print the comment block at the top of the calling script, the script's usage text.
usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }

file_hash() { sha256sum "$1" | cut -d' ' -f1; }

# Run a command as root: directly when we are root (as CI is), else through sudo without
# a password prompt (there is no stdin to answer one).
as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo -n "$@"
    else
        die "'$*' needs root; run it as root or install the missing pieces by hand"
    fi
}

# Poll until a command succeeds, for at most $1 seconds: how we wait for a server to come up.
wait_for() {
    local deadline=$((SECONDS + $1))
    shift
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

setup_python() {
    if [[ ! -x "$VENV/bin/python" ]]; then
        command -v python3 >/dev/null || die "python3 not found: Amtsweg needs Python 3.11 or newer"
        python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
            die "python3 is $(python3 --version 2>&1); Amtsweg needs Python 3.11 or newer"
        say "creating the virtual environment in .venv"
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.amtsweg-pyproject.sha256" want
    want="$(file_hash "$ROOT/pyproject.toml")"
    if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
        say "installing Python dependencies (pyproject.toml is new or changed)"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "${ROOT}[test]" </dev/null
        printf '%s\n' "$want" >"$stamp"
    fi
}

setup_node() {
    [[ -f "$ROOT/package.json" ]] || return 0
    [[ -f "$ROOT/package-lock.json" ]] ||
        die "package.json has no package-lock.json beside it: run 'npm install' once and commit the lock file"
    command -v npm >/dev/null || die "npm not found: Node.js 20 with npm installs the front-end packages"
    local stamp="$ROOT/node_modules/.amtsweg-package-lock.sha256" want
    want="$(file_hash "$ROOT/package-lock.json")"
    if [[ "$(cat "$stamp" 2>/dev/null)" != "$want" ]]; then
        say "installing npm packages (package-lock.json is new or changed)"
        (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
        printf '%s\n' "$want" >"$stamp"
    fi
}

APT_UPDATED=""

# Install the named Debian packages that are not installed yet; nothing else.
setup_debian_packages() {
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
            missing+=("$package")
    done
    ((${#missing[@]})) || return 0
    command -v apt-get >/dev/null || die "missing Debian packages ${missing[*]}, and there is no apt-get"
    say "installing Debian packages: ${missing[*]}"
    if [[ -z "$APT_UPDATED" ]]; then
        as_root apt-get update -qq </dev/null || die "apt-get update failed"
        APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" </dev/null ||
        die "could not install ${missing[*]}"
}

setup_chromium() {
    setup_debian_packages chromium fonts-dejavu-core
    [[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing Debian's chromium"
}

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG; }

setup_redis() {
    if command -v redis-cli >/dev/null && redis_up 2>/dev/null; then return 0; fi
    command -v redis-server >/dev/null || setup_debian_packages redis-server
    redis_up 2>/dev/null && return 0 # the package's own start script may have started it
    say "starting Redis on 127.0.0.1:6379"
    local place=()
    [[ -d /var/lib/redis ]] && place+=(--dir /var/lib/redis)
    [[ -d /var/log/redis ]] && place+=(--logfile /var/log/redis/ci.log)
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 \
        --save "" --appendonly no "${place[@]}" </dev/null ||
        die "redis-server would not start"
    wait_for 15 redis_up || die "Redis was started but does not answer on 127.0.0.1:6379"
}

# Split a postgresql:// URL into PG_HOST, PG_PORT, PG_USER, PG_PASSWORD and PG_DB.
parse_pg_url() {
    eval "$("$VENV/bin/python" - "$1" <<'PY'
import shlex
import sys
from urllib.parse import unquote, urlparse

url = urlparse(sys.argv[1])
parts = {
    "PG_HOST": url.hostname or "127.0.0.1",
    "PG_PORT": str(url.port or 5432),
    "PG_USER": unquote(url.username or "postgres"),
    "PG_PASSWORD": unquote(url.password or ""),
    "PG_DB": url.path.lstrip("/") or "test",
}
print("\n".join(f"{name}={shlex.quote(value)}" for name, value in parts.items()))
PY
)"
}

# Run a PostgreSQL client tool against the server of the parsed URL: pg psql -d db ...
pg() {
    local tool=$1
    shift
    PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$tool" -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$@"
}
pg_up() { pg pg_isready -d postgres -q; }

# Start the local cluster, installing Debian's PostgreSQL first if there is none at all.
start_local_postgres() {
    local fresh=""
    if ! compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
        setup_debian_packages postgresql
        fresh=1
    fi
    local version
    version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' 2>/dev/null | sort -V | tail -n 1)"
    if [[ -z "$version" ]]; then
        version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n 1)"
        as_root pg_createcluster "$version" main </dev/null || die "pg_createcluster $version main failed"
        fresh=1
    fi
    if [[ -n "$fresh" ]]; then
        # A cluster we just created is a throw-away test server: let the tests in on loopback
        # without a password, as on the project's machines (first matching line wins).
        local hba="/etc/postgresql/$version/main/pg_hba.conf"
        as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    fi
    # "restart" also starts a stopped cluster, and makes a running one read the new pg_hba.conf.
    local action=start
    [[ -n "$fresh" ]] && action=restart
    say "starting PostgreSQL $version (cluster main)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main "$action" </dev/null ||
        say "pg_ctlcluster did not report success; waiting for the server anyway"
}

# Make sure the PostgreSQL server of $1 answers and its database exists.
setup_postgres() {
    parse_pg_url "$1"
    command -v pg_isready >/dev/null || setup_debian_packages postgresql-client
    if ! pg_up; then
        case "$PG_HOST" in
        127.0.0.1 | localhost | ::1) start_local_postgres ;;
        *) die "PostgreSQL at $PG_HOST:$PG_PORT does not answer, and it is not ours to start" ;;
        esac
        wait_for 60 pg_up || die "PostgreSQL at $PG_HOST:$PG_PORT does not answer; see /var/log/postgresql/"
    fi
    local exists
    exists="$(pg psql -d postgres -XtAq -v ON_ERROR_STOP=1 -v db="$PG_DB" <<<"SELECT 1 FROM pg_database WHERE datname = :'db'")" ||
        die "cannot log in to PostgreSQL at $PG_HOST:$PG_PORT as $PG_USER"
    if [[ "$exists" != 1 ]]; then
        say "creating the PostgreSQL database $PG_DB"
        pg createdb "$PG_DB" || die "createdb $PG_DB failed"
    fi
    pg psql -d "$PG_DB" -XtAq -c 'SELECT 1' >/dev/null || die "cannot open the PostgreSQL database $PG_DB"
}
