/**
 * The clerk's queue: choose office and desk, call the next visitor to the desk, call them
 * again, finish, park, mark as not come, or pass the ticket on to another desk or service;
 * see who is waiting (in line order), who is parked and who is called where.
 *
 * Everything comes from the queue API (`/api/clerk/offices/{office}/queue…`) with the
 * staff session; unsafe requests carry the CSRF token (clerk-api.js). The queue is
 * reloaded after every action and every few seconds. The chosen desk is remembered per
 * office in this browser.
 */

import { _, formatTime, lang, ngettext, TIME_ZONE } from "./i18n.js";
import { element, logout, ProblemError, showProblem, staffFetch, whoAmI } from "./clerk-api.js";

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 5000;

let queue = null; // the office's queue as last loaded
const services = new Map(); // service id → name in the page's language

function showError(error) {
  showProblem("q-error", error);
}

async function guarded(action) {
  $("q-error").hidden = true;
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

const office = () => $("q-office").value;
const desk = () => Number($("q-desk").value);
const base = () => `/api/clerk/offices/${office()}/queue`;
const deskKey = () => `amtsweg-queue-desk-${office()}`;
const deskLabel = (id) => (queue.desks.find((d) => d.id === id) || {}).label || "";
const serviceName = (id) => services.get(id) || String(id);

function since(ticket) {
  return `${formatTime(new Date(ticket.drawn_at))} (${TIME_ZONE})`;
}

function describe(ticket) {
  const what = ticket.kind === "appointment"
    ? _("Appointment at {time}", { time: formatTime(new Date(ticket.appointment_at)) })
    : _("Walk-in");
  return `${serviceName(ticket.service_id)} · ${what}`;
}

function fillDesks() {
  const wanted = queue.desks.map((d) => String(d.id)).join(",");
  const select = $("q-desk");
  if (select.dataset.desks === wanted) return;
  select.dataset.desks = wanted;
  select.replaceChildren(...queue.desks.map((d) => new Option(d.label, String(d.id))));
  const remembered = localStorage.getItem(deskKey());
  if (remembered && wanted.split(",").includes(remembered)) select.value = remembered;
  const offered = new Set(queue.desks.flatMap((d) => d.service_ids));
  $("transfer-service").replaceChildren(
    new Option(_("Keep the service"), ""),
    ...[...offered].map((id) => new Option(serviceName(id), String(id))),
  );
}

function fillTransferDesks() {
  const select = $("transfer-desk");
  const kept = select.value; // a refresh must not undo the clerk's choice
  select.replaceChildren(
    new Option(_("Any desk"), ""),
    ...queue.desks.filter((d) => d.id !== desk()).map((d) => new Option(d.label, String(d.id))),
  );
  if ([...select.options].some((option) => option.value === kept)) select.value = kept;
}

function renderCurrent() {
  const current = queue.called.find((ticket) => ticket.desk_id === desk());
  $("current").hidden = !current;
  $("call-next").disabled = Boolean(current);
  if (!current) return;
  $("current").dataset.ticket = String(current.id);
  $("current-number").textContent = current.number;
  const recalls = current.recalls ? ngettext("called again {n} time", "called again {n} times", current.recalls, { n: current.recalls }) : "";
  $("current-meta").textContent = [describe(current), recalls].filter(Boolean).join(" · ");
}

function callButton(ticket, label) {
  const button = element("button", label, "kern-btn kern-btn--tertiary");
  button.type = "button";
  button.dataset.ticket = String(ticket.id);
  button.addEventListener("click", () => guarded(async () => {
    const called = await staffFetch(`${base()}/tickets/${ticket.id}/call`, { method: "POST", body: { desk_id: desk() } });
    await announced(_("{number} called to {desk}.", { number: called.number, desk: deskLabel(called.desk_id) }));
  }));
  return button;
}

function renderLists() {
  const rows = $("waiting-rows");
  rows.replaceChildren();
  for (const ticket of queue.waiting) {
    const row = document.createElement("tr");
    const action = document.createElement("td");
    action.append(callButton(ticket, _("Call")));
    const target = ticket.target_desk_id ? ` → ${deskLabel(ticket.target_desk_id)}` : "";
    row.append(element("td", ticket.number + target, "queue__number-cell"), element("td", describe(ticket)),
      element("td", since(ticket)), action);
    rows.append(row);
  }
  $("waiting-caption").textContent = queue.waiting.length
    ? ngettext("{n} ticket waiting, first in line at the top", "{n} tickets waiting, first in line at the top", queue.waiting.length, { n: queue.waiting.length })
    : _("Nobody is waiting.");
  $("parked").replaceChildren(...queue.parked.map((ticket) => {
    const item = element("li", `${ticket.number} – ${describe(ticket)} `);
    item.append(callButton(ticket, _("Call back")));
    return item;
  }));
  if (!queue.parked.length) $("parked").append(element("li", _("No ticket is parked.")));
  $("called").replaceChildren(...queue.called.map((ticket) => element("li", `${ticket.number} → ${deskLabel(ticket.desk_id)}`)));
  if (!queue.called.length) $("called").append(element("li", _("No ticket is called.")));
}

async function load() {
  if (!office()) return;
  queue = await staffFetch(base());
  fillDesks();
  fillTransferDesks();
  renderCurrent();
  renderLists();
}

async function announced(message) {
  $("q-status").textContent = message;
  await load();
}

async function act(action, body) {
  const ticket = $("current").dataset.ticket;
  return staffFetch(`${base()}/tickets/${ticket}/${action}`, { method: "POST", body: body || {} });
}

$("call-next").addEventListener("click", () => guarded(async () => {
  try {
    const called = await staffFetch(`${base()}/call-next`, { method: "POST", body: { desk_id: desk() } });
    await announced(_("{number} called to {desk}.", { number: called.number, desk: deskLabel(called.desk_id) }));
    $("current-number").focus();
  } catch (error) {
    if (!(error instanceof ProblemError && error.code === "queue_empty")) throw error;
    await announced(_("Nobody is waiting for the services of this desk."));
  }
}));
$("recall").addEventListener("click", () => guarded(async () => {
  const ticket = await act("recall");
  await announced(_("{number} called again.", { number: ticket.number }));
}));
$("finish").addEventListener("click", () => guarded(async () => {
  const ticket = await act("finish");
  await announced(_("{number} finished.", { number: ticket.number }));
  $("call-next").focus();
}));
$("park").addEventListener("click", () => guarded(async () => {
  const ticket = await act("park");
  await announced(_("{number} parked.", { number: ticket.number }));
  $("call-next").focus();
}));
$("missed").addEventListener("click", () => guarded(async () => {
  const ticket = await act("missed");
  await announced(_("{number} marked as missed.", { number: ticket.number }));
  $("call-next").focus();
}));
$("transfer-form").addEventListener("submit", (event) => {
  event.preventDefault();
  guarded(async () => {
    const body = {};
    if ($("transfer-desk").value) body.desk_id = Number($("transfer-desk").value);
    if ($("transfer-service").value) body.service_id = Number($("transfer-service").value);
    const ticket = await act("transfer", body);
    await announced(_("{number} passed on.", { number: ticket.number }));
    $("call-next").focus();
  });
});
$("q-office").addEventListener("change", () => guarded(load));
$("q-desk").addEventListener("change", () => guarded(async () => {
  localStorage.setItem(deskKey(), $("q-desk").value);
  fillTransferDesks();
  renderCurrent();
}));
$("logout").addEventListener("click", () => guarded(logout));

async function start() {
  const session = await whoAmI();
  if (session.state !== "signed_in") {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  $("signed-in-as").textContent = _("Signed in as {name}", { name: session.staff.display_name });
  for (const item of session.staff.offices) {
    $("q-office").append(new Option(item.office_name, String(item.office_id)));
  }
  if (!session.staff.offices.length) {
    $("waiting-caption").textContent = _("You do not work in any office yet.");
    $("call-next").disabled = true;
    return;
  }
  for (const service of await staffFetch("/api/services")) services.set(service.id, service.name);
  await load();
  setInterval(() => { if (!document.hidden) guarded(load); }, REFRESH_MS);
}

guarded(start);
