/**
 * The citizen's case page: status, next appointment, what to bring, what is still needed
 * and the timeline, from `/api/cases/{token}/overview`; the export link and the deletion
 * request. The token is the last part of the page's address.
 */

import { _, TIME_ZONE, formatDate, formatTime, lang } from "./i18n.js";
import { rememberLanguageChoice } from "./language-switch.js";

rememberLanguageChoice();

const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const api = `/api/cases/${encodeURIComponent(token)}`;

function when(iso) {
  const moment = new Date(iso);
  return `${formatDate(moment)}, ${formatTime(moment)} (${TIME_ZONE})`;
}

function fillList(id, items, empty) {
  const list = $(id);
  list.replaceChildren();
  for (const text of items.length ? items : [empty]) {
    const item = document.createElement("li");
    item.textContent = text;
    list.append(item);
  }
}

async function problemText(response) {
  const problem = await response.json().catch(() => ({}));
  return problem.detail || problem.title || _("Something went wrong. Please try again.");
}

function showError(text) {
  $("case-error-text").textContent = text;
  $("case-error").hidden = false;
  $("case-error").focus();
}

async function load() {
  const response = await fetch(`${api}/overview?lang=${lang}`, { cache: "no-store" });
  if (!response.ok) {
    $("case-status").textContent = "";
    showError(await problemText(response));
    return;
  }
  const view = await response.json();
  $("case-reference").textContent = view.case.reference;
  $("case-status").textContent = `${view.case.service_name}: ${view.case.status_label}`;
  if (view.next_appointment) {
    const next = view.next_appointment;
    $("case-appointment").textContent = _("Next appointment: {when} at {place} (booking code {code})", {
      when: when(next.starts_at),
      place: next.office_name,
      code: next.code,
    });
    $("case-appointment").hidden = false;
  }
  fillList("case-bring", view.to_bring, _("Nothing in particular."));
  fillList("case-needed", view.still_needed, _("Nothing is missing."));
  fillList("case-timeline", view.case.timeline.map((entry) => `${when(entry.at)}: ${entry.label}`), _("Nothing yet."));
}

$("case-export").href = `${api}/export?lang=${lang}`;
$("case-erase").addEventListener("click", async () => {
  if (!window.confirm(_("Delete your personal data of this case? The case will be closed."))) return;
  const response = await fetch(`${api}/erasure?lang=${lang}`, { method: "POST" });
  if (!response.ok) {
    $("case-erase-result").textContent = await problemText(response);
    return;
  }
  $("case-erase-result").textContent = _("Your personal data of this case has been deleted.");
  $("case-erase").disabled = true;
});

load();
