/**
 * The clerk's cases: an office's case list with filters, and the open case with its whole
 * timeline, a note form, status, assignment, document requests and files.
 *
 * Everything comes from the workspace API (`/api/clerk/…`) with the staff session; every
 * unsafe request carries the CSRF token (clerk-api.js). Without a session the page goes
 * to the login.
 */

import { _, TIME_ZONE, formatDate, formatTime, lang } from "./i18n.js";
import { csrfToken, element, logout, ProblemError, showProblem, staffFetch, whoAmI } from "./clerk-api.js";

const $ = (id) => document.getElementById(id);
const PER_PAGE = 25;
const STATUS = {
  open: _("Open"),
  in_progress: _("In progress"),
  waiting_for_citizen: _("Waiting for the citizen"),
  completed: _("Completed"),
  cancelled: _("Cancelled"),
};
const CHANNEL = {
  pwa: _("Phone or web"),
  kiosk: _("Kiosk"),
  clerk: _("At the desk"),
  video: _("Video call"),
  system: _("System"),
};

let page = 1;
let current = null; // the open case's detail

function when(iso) {
  const moment = new Date(iso);
  return `${formatDate(moment)}, ${formatTime(moment)} (${TIME_ZONE})`;
}

function showError(error) {
  showProblem("ws-error", error);
}

function clearError() {
  $("ws-error").hidden = true;
}

async function guarded(action) {
  clearError();
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

function filters() {
  const form = new FormData($("filters"));
  const query = new URLSearchParams({ page: String(page), per_page: String(PER_PAGE) });
  for (const name of ["status", "channel", "service", "from", "to"]) {
    const value = form.get(name);
    if (value) query.set(name, value);
  }
  return query;
}

async function loadList() {
  const office = $("f-office").value;
  if (!office) return;
  const result = await staffFetch(`/api/clerk/offices/${office}/cases?${filters()}`);
  const rows = $("case-rows");
  rows.replaceChildren();
  for (const item of result.items) {
    const row = document.createElement("tr");
    const open = element("button", item.reference, "kern-link cases__open");
    open.type = "button";
    open.addEventListener("click", () => guarded(() => openCase(item.id)));
    const first = document.createElement("td");
    first.append(open);
    row.append(first, element("td", item.service_name), element("td", STATUS[item.status] || item.status),
      element("td", when(item.opened_at)));
    rows.append(row);
  }
  const pages = Math.max(1, Math.ceil(result.total / PER_PAGE));
  $("list-caption").textContent = _("{total} cases, page {page} of {pages}", { total: result.total, page, pages });
  $("prev-page").disabled = page <= 1;
  $("next-page").disabled = page >= pages;
}

function renderTimeline(events) {
  const list = $("timeline");
  list.replaceChildren();
  for (const event of events) {
    const item = element("li");
    item.append(element("strong", event.label), ` – ${when(event.at)} (${CHANNEL[event.channel] || event.channel})`);
    if (!event.citizen_visible) {
      item.append(" ", element("span", _("internal"), "cases__internal"));
    }
    if (event.kind === "note_added" && event.data.text) {
      item.append(element("p", event.data.text, "kern-body"));
    }
    list.append(item);
  }
}

function renderDocuments(documents) {
  const list = $("documents");
  list.replaceChildren();
  if (!documents.length) list.append(element("li", _("No documents requested.")));
  for (const doc of documents) {
    // Babel's JS extractor does not look inside template literals: keep _() outside them.
    const state = doc.state === "received" ? _("received") : _("still needed");
    const item = element("li", `${doc.label}: ${state} `);
    if (doc.state === "requested") {
      const button = element("button", _("Mark as received"), "kern-btn kern-btn--tertiary");
      button.type = "button";
      button.addEventListener("click", () => guarded(async () => {
        await staffFetch(`/api/clerk/cases/${current.case.id}/documents/${doc.id}/received`, { method: "POST" });
        await openCase(current.case.id, false);
      }));
      item.append(button);
    }
    list.append(item);
  }
}

function renderFiles(files) {
  const list = $("files");
  list.replaceChildren();
  if (!files.length) list.append(element("li", _("No files yet.")));
  for (const file of files) {
    const link = element("a", file.filename, "kern-link");
    link.href = `/api/clerk/cases/${current.case.id}/uploads/${file.id}`;
    link.download = file.filename;
    const item = element("li");
    item.append(link, ` (${Math.ceil(file.size / 1024)} kB, ${when(file.uploaded_at)})`);
    list.append(item);
  }
}

async function renderAssignees(detail) {
  const select = $("assignee");
  select.replaceChildren(new Option(_("Nobody (office pool)"), ""));
  const office = detail.office_ids[0];
  if (office === undefined) return;
  for (const colleague of await staffFetch(`/api/staff/offices/${office}/colleagues`)) {
    const option = new Option(colleague.display_name, String(colleague.staff_id));
    option.selected = colleague.staff_id === detail.case.assignee_id;
    select.append(option);
  }
}

async function openCase(caseId, focus = true) {
  const detail = await staffFetch(`/api/clerk/cases/${caseId}`);
  current = detail;
  $("detail").hidden = false;
  $("detail").dataset.caseId = String(detail.case.id);
  $("detail-heading").textContent = _("Case {reference}", { reference: detail.case.reference });
  $("detail-meta").textContent = `${detail.case.service_name} · ${STATUS[detail.case.status] || detail.case.status}`;
  renderTimeline(detail.timeline);
  renderDocuments(detail.documents);
  renderFiles(detail.uploads);
  await renderAssignees(detail);
  if (focus) $("detail-heading").focus();
}

async function after(message) {
  $("detail-status").textContent = message;
  await openCase(current.case.id, false);
  await loadList();
}

function on(formId, handler) {
  $(formId).addEventListener("submit", (event) => {
    event.preventDefault();
    guarded(handler);
  });
}

on("filters", async () => { page = 1; await loadList(); });
on("note-form", async () => {
  const text = $("note-text").value.trim();
  if (!text) return;
  await staffFetch(`/api/clerk/cases/${current.case.id}/notes`, { method: "POST", body: { text } });
  $("note-text").value = "";
  await after(_("Note added."));
});
on("status-form", async () => {
  await staffFetch(`/api/clerk/cases/${current.case.id}/status`, { method: "POST", body: { status: $("status-select").value } });
  await after(_("Status changed."));
});
on("assign-form", async () => {
  const value = $("assignee").value;
  await staffFetch(`/api/clerk/cases/${current.case.id}/assignee`, { method: "PUT", body: { staff_id: value ? Number(value) : null } });
  await after(_("Assignment saved."));
});
on("document-form", async () => {
  const label = $("document-label").value.trim();
  if (!label) return;
  await staffFetch(`/api/clerk/cases/${current.case.id}/documents`, { method: "POST", body: { label } });
  $("document-label").value = "";
  await after(_("Document requested."));
});
on("upload-form", async () => {
  const file = $("upload-file").files[0];
  if (!file) return;
  const url = `/api/clerk/cases/${current.case.id}/uploads?filename=${encodeURIComponent(file.name)}&lang=${lang}`;
  const response = await fetch(url, {
    method: "POST",
    body: file,
    headers: { "Content-Type": "application/octet-stream", "X-CSRF-Token": csrfToken(), Accept: "application/json" },
    credentials: "same-origin",
  });
  if (!response.ok) throw new ProblemError(response.status, await response.json().catch(() => ({})));
  $("upload-file").value = "";
  await after(_("File uploaded."));
});
$("prev-page").addEventListener("click", () => guarded(async () => { page -= 1; await loadList(); }));
$("next-page").addEventListener("click", () => guarded(async () => { page += 1; await loadList(); }));
$("logout").addEventListener("click", () => guarded(logout));

async function start() {
  const session = await whoAmI();
  if (session.state !== "signed_in") {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  $("signed-in-as").textContent = _("Signed in as {name}", { name: session.staff.display_name });
  for (const office of session.staff.offices) {
    $("f-office").append(new Option(office.office_name, String(office.office_id)));
  }
  if (!session.staff.offices.length) {
    $("list-caption").textContent = _("You do not work in any office yet.");
    return;
  }
  await loadList();
}

guarded(start);
