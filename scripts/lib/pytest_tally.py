"""A pytest plugin for scripts/test: one outcome per test, written to a JSON file.

Loaded with `-p pytest_tally` (scripts/lib on PYTHONPATH). The file named by
AMTSWEG_TEST_TALLY receives {"passed": n, "failed": n, "skipped": n, "browser_skipped":
[node ids]}. A test counts once, by its worst phase: an error in set-up or tear-down is a
failure, as is a module that fails to import. Skipped browser tests are listed apart
because scripts/test treats them as a broken set-up, never as an allowed skip.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

_RANK = {"passed": 0, "skipped": 1, "failed": 2}
_outcomes: dict[str, str] = {}
_browser_skipped: set[str] = set()


def _record(nodeid: str, outcome: str) -> None:
    if _RANK[outcome] >= _RANK[_outcomes.get(nodeid, "passed")]:
        _outcomes[nodeid] = outcome


def _is_browser(report: pytest.TestReport | pytest.CollectReport) -> bool:
    # A module skipped while being collected has no markers (a collect report carries
    # no keywords): its folder, tests/browser/, tells.
    keywords = getattr(report, "keywords", {})
    return "browser" in keywords or "/browser/" in f"/{report.nodeid}"


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.failed:
        _record(report.nodeid, "failed")
    elif report.skipped:  # also an expected failure (xfail): it did not run to a pass
        _record(report.nodeid, "skipped")
        if _is_browser(report):
            _browser_skipped.add(report.nodeid)
    elif report.when == "call":
        _record(report.nodeid, "passed")


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.failed:
        _record(report.nodeid, "failed")
    elif report.skipped:
        _record(report.nodeid, "skipped")
        if _is_browser(report):
            _browser_skipped.add(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    target = os.environ.get("AMTSWEG_TEST_TALLY")
    if not target:
        return
    counts = {name: sum(1 for o in _outcomes.values() if o == name) for name in _RANK}
    tally = {**counts, "browser_skipped": sorted(_browser_skipped), "exitstatus": int(exitstatus)}
    Path(target).write_text(json.dumps(tally))
