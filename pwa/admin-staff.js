/**
 * Staff and roles, for administrators: every account with its offices and roles, lock
 * state and last login; a new account (its first login sets up the authenticator app);
 * a role per office; deactivate or reactivate, unlock, reset the second factor, make or
 * unmake an administrator.
 *
 * Everything comes from the staff API (`/api/staff/members`) with the staff session;
 * clerk-api.js adds the CSRF token to every change. Without a session the page goes to
 * the login; someone who is not an administrator is told so.
 */

import { _, TIME_ZONE, formatDate, formatTime, lang, ngettext } from "./i18n.js";
import { element, ProblemError, staffFetch, whoAmI } from "./clerk-api.js";

const $ = (id) => document.getElementById(id);
const MEMBERS = "/api/staff/members";
const ROLE = { clerk: _("Clerk"), lead: _("Office lead") };

let me = null;

function when(iso) {
  const moment = new Date(iso);
  return `${formatDate(moment)}, ${formatTime(moment)}`;
}

function showError(error) {
  if (error instanceof ProblemError && error.status === 401) {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  const problem = error instanceof ProblemError ? error.problem : {};
  $("admin-errors-text").textContent = problem.title || _("Something went wrong. Please try again.");
  const list = $("admin-errors-list");
  list.replaceChildren(...(problem.errors || []).map((item) => element("li", item.detail)));
  $("admin-errors").hidden = false;
  $("admin-errors").focus();
}

async function guarded(action) {
  $("admin-errors").hidden = true;
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

function said(message) {
  $("admin-status").textContent = message;
}

function stateOf(account) {
  const states = [account.active ? _("active") : _("deactivated")];
  if (account.is_admin) states.push(_("administrator"));
  if (!account.enrolled) states.push(_("second factor not set up yet"));
  if (account.locked_until) {
    states.push(_("locked until {time}", { time: formatTime(new Date(account.locked_until)) }));
  }
  return states.join(", ");
}

function actionButton(label, action, handler, kind = "secondary") {
  const button = element("button", undefined, `kern-btn kern-btn--${kind}`);
  button.type = "button";
  button.dataset.action = action;
  button.append(element("span", label, "kern-label"));
  button.addEventListener("click", () => guarded(handler));
  return button;
}

function act(account, path, method, question, message) {
  return async () => {
    if (question && !window.confirm(question)) return;
    await staffFetch(`${MEMBERS}/${account.id}${path}`, { method });
    said(message);
    await load();
  };
}

function actionsFor(account) {
  const name = account.display_name;
  const box = element("div", undefined, "admin-staff__actions");
  if (account.active) {
    box.append(actionButton(_("Deactivate"), "deactivate", act(account, "/deactivate", "POST",
      _("Deactivate {name}? Their sessions end at once.", { name }), _("{name} was deactivated.", { name }))));
  } else {
    box.append(actionButton(_("Reactivate"), "reactivate", act(account, "/reactivate", "POST", null,
      _("{name} was reactivated.", { name }))));
  }
  if (account.locked_until) {
    box.append(actionButton(_("Unlock"), "unlock", act(account, "/unlock", "POST", null, _("{name} was unlocked.", { name }))));
  }
  if (account.enrolled) {
    box.append(actionButton(_("Reset second factor"), "reset-second-factor", act(account, "/second-factor/reset", "POST",
      _("Reset the second factor of {name}? Their sessions end, and their next login sets up the authenticator app again.", { name }),
      _("The second factor of {name} was reset.", { name }))));
  }
  if (account.is_admin) {
    box.append(actionButton(_("Remove administrator rights"), "unmake-admin", act(account, "/admin", "DELETE",
      _("Remove the administrator rights of {name}?", { name }), _("{name} is no longer an administrator.", { name })), "tertiary"));
  } else {
    box.append(actionButton(_("Make administrator"), "make-admin", act(account, "/admin", "PUT",
      _("Make {name} an administrator of every office?", { name }), _("{name} is now an administrator.", { name })), "tertiary"));
  }
  return box;
}

function renderAccounts(accounts) {
  const rows = $("account-rows");
  rows.replaceChildren();
  const select = $("role-account");
  const chosen = select.value;
  select.replaceChildren();
  for (const account of accounts) {
    const name = element("td");
    name.append(element("strong", account.display_name), element("br"), element("span", account.username));
    if (account.id === me.id) name.append(" ", element("span", _("(you)")));
    const offices = element("td");
    if (account.offices.length) {
      const list = element("ul");
      for (const office of account.offices) {
        list.append(element("li", `${office.office_name}: ${ROLE[office.role] || office.role}`));
      }
      offices.append(list);
    } else {
      offices.textContent = _("no office");
    }
    const last = account.last_login_at ? when(account.last_login_at) : _("never");
    const actions = element("td");
    actions.append(actionsFor(account));
    const row = element("tr");
    row.dataset.username = account.username;
    row.dataset.active = String(account.active);
    row.append(name, offices, element("td", stateOf(account)), element("td", last), actions);
    rows.append(row);
    select.append(new Option(`${account.display_name} (${account.username})`, String(account.id)));
  }
  if (chosen) select.value = chosen;
  $("accounts-caption").textContent = ngettext("{n} account; times in {zone}", "{n} accounts; times in {zone}", accounts.length, { n: accounts.length, zone: TIME_ZONE });
}

async function load() {
  renderAccounts(await staffFetch(`${MEMBERS}/`));
}

async function loadOffices() {
  const offices = await staffFetch("/api/offices");
  $("role-office").replaceChildren(...offices.map((office) => new Option(office.name, String(office.id))));
}

function on(formId, handler) {
  $(formId).addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(handler);
  });
}

on("create-form", async () => {
  const form = $("create-form");
  const body = {
    username: form.username.value.trim(),
    display_name: form.display_name.value.trim(),
    password: form.password.value,
    is_admin: form.is_admin.checked,
  };
  const created = await staffFetch(`${MEMBERS}/`, { method: "POST", body });
  form.reset();
  said(_("The account {username} was created. At the first login, its owner sets up the authenticator app.", { username: created.username }));
  await load();
});

on("role-form", async () => {
  const staffId = $("role-account").value;
  const officeId = $("role-office").value;
  const role = $("role-role").value;
  const path = `${MEMBERS}/${staffId}/offices/${officeId}`;
  if (role) {
    await staffFetch(path, { method: "PUT", body: { role } });
  } else {
    await staffFetch(path, { method: "DELETE" });
  }
  said(_("The role was saved."));
  await load();
});

async function start() {
  const session = await whoAmI();
  if (session.state !== "signed_in") {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  me = session.staff;
  if (!me.is_admin) {
    for (const section of document.querySelectorAll(".admin-staff")) section.hidden = true;
    said(_("Only administrators may manage staff accounts."));
    return;
  }
  await Promise.all([load(), loadOffices()]);
}

guarded(start);
