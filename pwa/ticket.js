/**
 * The visitor's ticket on the phone (`/{lang}/tickets/{token}`, behind the kiosk's QR
 * code): number, state in words, people ahead and estimated wait from
 * `/api/tickets/{token}`, fetched again every 15 seconds and at once when the tab is
 * visible again. A change to "called" is said once through the announcer (aria-live).
 * The token is the last part of the page's address.
 */

import { _, lang, ngettext } from "./i18n.js";
import { rememberLanguageChoice } from "./language-switch.js";

rememberLanguageChoice();

const REFRESH_MS = 15_000;
const $ = (id) => document.getElementById(id);
const token = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const api = "/api/tickets/" + encodeURIComponent(token) + "?lang=" + lang;

let timer = null;
let loading = false;
let lastState = null;

function stateText(ticket) {
  switch (ticket.state) {
    case "waiting":
      return _("In line");
    case "called":
      return _("Called to {desk}", { desk: ticket.desk || "" });
    case "parked":
      return _("On hold: you will be called again");
    case "finished":
      return _("Finished");
    case "missed":
      return _("Missed: please ask at the information desk");
    default:
      return ticket.state;
  }
}

function waitText(minutes) {
  if (minutes <= 0) return _("Very soon");
  return ngettext("about {n} minute", "about {n} minutes", minutes, { n: minutes });
}

function show(ticket) {
  $("ticket-error").hidden = true;
  $("ticket-number").textContent = ticket.number;
  $("ticket-state").textContent = stateText(ticket);
  $("ticket-state").dataset.state = ticket.state;
  const inLine = ticket.state === "waiting" || ticket.state === "parked";
  $("ticket-ahead-item").hidden = !inLine;
  $("ticket-wait-item").hidden = !inLine;
  $("ticket-ahead").textContent = String(ticket.people_ahead);
  $("ticket-wait").textContent = waitText(ticket.estimated_wait_minutes);
  if (ticket.state === "called" && lastState !== null && lastState !== "called") {
    $("ticket-announcer").textContent = _("It is your turn: please go to {desk}.", { desk: ticket.desk || "" });
  }
  lastState = ticket.state;
}

async function problemText(response) {
  const problem = await response.json().catch(() => ({}));
  return problem.detail || problem.title || _("Something went wrong. Please try again.");
}

function showError(text) {
  $("ticket-error-text").textContent = text;
  $("ticket-error").hidden = false;
}

function schedule() {
  window.clearTimeout(timer);
  // A finished ticket changes no more; a hidden tab is asked again when it is shown.
  if (lastState !== "finished" && document.visibilityState === "visible") {
    timer = window.setTimeout(refresh, REFRESH_MS);
  }
}

async function refresh() {
  if (loading) return;
  loading = true;
  try {
    const response = await fetch(api, { cache: "no-store" });
    if (response.ok) show(await response.json());
    else showError(await problemText(response));
  } catch {
    showError(_("No connection. The page tries again by itself."));
  } finally {
    loading = false;
    schedule();
  }
}

document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") refresh();
  else window.clearTimeout(timer);
});

refresh();
