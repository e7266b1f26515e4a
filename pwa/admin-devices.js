/**
 * Kiosk devices, for administrators (every office) and office leads (their offices): the
 * office's terminals with their state and last contact, a new device with its one-time
 * enrolment code (shown here once, valid 15 minutes), renaming and revoking.
 *
 * Everything comes from `/api/clerk/offices/{office}/devices` with the staff session;
 * clerk-api.js adds the CSRF token to every change.
 */

import { _, formatDate, formatTime, lang } from "./i18n.js";
import { element, ProblemError, staffFetch, whoAmI } from "./clerk-api.js";

const $ = (id) => document.getElementById(id);
const STATE = {
  awaiting_enrolment: _("waiting for enrolment"),
  code_expired: _("enrolment code expired"),
  enrolled: _("enrolled"),
  revoked: _("revoked"),
};

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
  $("admin-errors-list").replaceChildren(...(problem.errors || []).map((item) => element("li", item.detail)));
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

function base() {
  return `/api/clerk/offices/${$("device-office").value}/devices`;
}

function actionButton(label, action, handler) {
  const button = element("button", undefined, "kern-btn kern-btn--secondary");
  button.type = "button";
  button.dataset.action = action;
  button.append(element("span", label, "kern-label"));
  button.addEventListener("click", () => guarded(handler));
  return button;
}

function actionsFor(device) {
  const box = element("div", undefined, "admin-staff__actions");
  if (device.state === "revoked") return box;
  box.append(actionButton(_("Rename"), "rename", async () => {
    const name = window.prompt(_("New name of {name}", { name: device.name }), device.name);
    if (!name || !name.trim()) return;
    await staffFetch(`${base()}/${device.id}`, { method: "PUT", body: { name } });
    said(_("The device was renamed."));
    await load();
  }));
  box.append(actionButton(_("Revoke"), "revoke", async () => {
    if (!window.confirm(_("Revoke {name}? The kiosk stops working at once and must be enrolled again.", { name: device.name }))) return;
    await staffFetch(`${base()}/${device.id}/revoke`, { method: "POST" });
    said(_("{name} was revoked.", { name: device.name }));
    await load();
  }));
  return box;
}

async function load() {
  if (!$("device-office").value) return;
  const devices = await staffFetch(`${base()}/`);
  const rows = $("device-rows");
  rows.replaceChildren();
  for (const device of devices) {
    const row = element("tr");
    row.dataset.deviceId = String(device.id);
    row.dataset.state = device.state;
    const actions = element("td");
    actions.append(actionsFor(device));
    row.append(
      element("td", device.name),
      element("td", STATE[device.state] || device.state),
      element("td", device.last_seen_at ? when(device.last_seen_at) : _("never")),
      actions,
    );
    rows.append(row);
  }
  if (!devices.length) {
    const row = element("tr");
    const cell = element("td", _("This office has no kiosk devices yet."));
    cell.colSpan = 4;
    row.append(cell);
    rows.append(row);
  }
}

$("device-office").addEventListener("change", () => guarded(async () => {
  $("code-box").hidden = true;
  await load();
}));

$("create-form").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(async () => {
    const name = $("device-name").value.trim();
    const created = await staffFetch(`${base()}/`, { method: "POST", body: { name } });
    $("device-name").value = "";
    $("enrolment-code").textContent = created.code;
    $("code-hint").textContent = _(
      "Type this code on the kiosk “{name}” before {time}. It is shown only now and works once.",
      { name: created.device.name, time: formatTime(new Date(created.code_expires_at)) },
    );
    $("code-box").hidden = false;
    $("code-box").focus();
    await load();
  });
});

async function officesFor(staff) {
  if (staff.is_admin) {
    const offices = await staffFetch("/api/offices");
    return offices.map((office) => ({ id: office.id, name: office.name }));
  }
  return staff.offices
    .filter((office) => office.role === "lead")
    .map((office) => ({ id: office.office_id, name: office.office_name }));
}

async function start() {
  const session = await whoAmI();
  if (session.state !== "signed_in") {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  const offices = await officesFor(session.staff);
  if (!offices.length) {
    $("devices-section").hidden = true;
    $("new-device-section").hidden = true;
    said(_("Only administrators and office leads may manage kiosk devices."));
    return;
  }
  $("device-office").replaceChildren(...offices.map((office) => new Option(office.name, String(office.id))));
  await load();
}

guarded(start);
