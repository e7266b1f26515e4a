/**
 * Booking a service, one step at a time: triage → office → day and time → contact →
 * proof of work and hold → confirm → done. Each step is a section of the page with its
 * own h1, which takes the focus when the step appears; errors from the API go next to
 * the field they name and into the summary at the top of the step.
 */

import { _, lang } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { ApiError, OfflineError, api } from "./api.js";
import { appointmentDetails, appointmentExtras, place } from "./appointment-view.js";
import { h } from "./dom.js";
import { announce, clearErrors, report, setOffline, showErrors } from "./feedback.js";
import { berlinDay, formatDay, formatNumber, formatTime } from "./format.js";
import { HoldTimer } from "./hold-timer.js";
import { holdWithProof } from "./holding.js";
import { SlotPicker, daysAt, earliestAt } from "./slot-picker.js";
import { Triage } from "./triage.js";

const root = document.getElementById("book");
const slug = root.dataset.service;
const sections = new Map([...root.querySelectorAll(".booking-step")].map((s) => [s.dataset.step, s]));
const siteName = document.title.split(" – ").slice(1).join(" – ");
const SLOT_ERRORS = new Set([
  "slot_taken", "slot_in_past", "notice_too_short", "beyond_booking_window", "office_closed",
  "outside_opening_hours", "slot_in_lottery", "not_offered_here", "channel_not_offered",
]);  // prettier-ignore
const CONFIRM_POLL_MS = 15_000;

const state = {
  step: null,
  channel: null,
  availability: null,
  office: null,
  slot: null,
  email: "",
  token: null,
  appointment: null,
};

function stepNames() {
  const names = ["triage"];
  if (!state.availability || state.availability.offices.length > 1) names.push("place");
  return [...names, "slot", "contact", "check", "confirm"];
}

/** Show one step; `focus` moves the reader to its heading (not on the first page load). */
function show(name, { focus = true } = {}) {
  state.step = name;
  document.getElementById("booking-loading").hidden = true;
  for (const [step, section] of sections) section.hidden = step !== name;
  const names = stepNames();
  const index = names.indexOf(name);
  document.getElementById("booking-progress").textContent =
    index < 0 ? "" : _("Step {n} of {total}", { n: formatNumber(index + 1), total: formatNumber(names.length) });
  const heading = sections.get(name).querySelector("h1");
  document.title = `${heading.textContent} – ${siteName}`;
  if (focus) heading.focus();
}

/** Back goes to the step before in the order of the steps (the check is not one to redo). */
function back() {
  const names = stepNames().filter((name) => name !== "check");
  const index = names.indexOf(state.step === "check" ? "contact" : state.step);
  if (state.step === "check") show("contact");
  else if (index > 0) show(names[index - 1]);
}

for (const backButton of root.querySelectorAll("[data-back]")) backButton.addEventListener("click", back);

/** Run `action` with `control` disabled; failures are reported in `scope`. */
async function busy(control, scope, action, fieldFor) {
  if (control) control.disabled = true;
  try {
    await action();
  } catch (error) {
    report(scope, error, fieldFor);
  } finally {
    if (control) control.disabled = false;
  }
}

// Step 1: triage.

const triage = new Triage(document.getElementById("triage"), {
  onChannel: (channel, control) =>
    busy(control, sections.get("triage"), () => choosePlace(channel)),
});

// Step 2: the office, each with its earliest free time.

async function loadAvailability() {
  const query = new URLSearchParams({ service: slug, channel: state.channel });
  state.availability = await api(`/api/availability?${query}`);
  setOffline(false);
}

async function choosePlace(channel) {
  state.channel = channel;
  await loadAvailability();
  const { offices } = state.availability;
  if (offices.length === 1) {
    state.office = offices[0].slug;
    showSlots();
    return;
  }
  const options = document.getElementById("office-options");
  options.replaceChildren(
    ...offices.map((office) => {
      const id = `office-${office.slug}`;
      const earliest = earliestAt(state.availability, office.slug);
      const when = earliest
        ? _("Earliest free time: {day}, {time}", {
            day: formatDay(dayOf(earliest)),
            time: formatTime(earliest.starts_at),
          })
        : _("No free time in the coming weeks");
      return h(
        "div",
        { class: "kern-form-check booking-option" },
        h("input", {
          class: "kern-form-check__radio",
          type: "radio",
          name: "office",
          id,
          value: office.slug,
          checked: office.slug === state.office,
        }),
        h(
          "label",
          { class: "kern-label booking-option__label", for: id },
          h("span", { class: "booking-option__title" }, office.name),
          h("span", { class: "booking-option__detail" }, `${office.street}, ${office.postcode} ${office.city}`),
          h("span", { class: "booking-option__detail booking-option__when" }, when),
        ),
      );
    }),
  );
  show("place");
}

/** The Berlin day a slot starts on (also for a slot no longer in the availability). */
function dayOf(slot) {
  return berlinDay(slot.starts_at);
}

document.getElementById("place-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const section = sections.get("place");
  const chosen = section.querySelector("input[name=office]:checked");
  if (!chosen) {
    showErrors(section, [{ field: "office", message: _("Please choose an office.") }]);
    return;
  }
  clearErrors(section);
  state.office = chosen.value;
  showSlots();
});

// Step 3: day and time.

const picker = new SlotPicker(document.getElementById("slot-picker"), { onChoose: chooseSlot });

function officeNamed(slugOfOffice) {
  return state.availability.offices.find((office) => office.slug === slugOfOffice);
}

function showSlots({ preferred = null } = {}) {
  const office = officeNamed(state.office);
  document.getElementById("slot-place").replaceChildren(place(office, state.channel));
  picker.show(daysAt(state.availability, state.office), {
    preferred,
    emptyText: _("This office has no free times in the coming weeks. Please choose another office or join the waiting list."),
  });
  const query = new URLSearchParams({ channel: state.channel, office: state.office });
  document.getElementById("slot-waitlist").href = `/${lang}/book/${slug}/waitlist?${query}`;
  clearErrors(sections.get("slot"));
  show("slot");
}

function chooseSlot(slot) {
  state.slot = slot;
  const summary = document.getElementById("contact-summary");
  summary.replaceChildren(slotSummary(slot));
  clearErrors(sections.get("contact"));
  show("contact");
}

function slotSummary(slot) {
  return h(
    "p",
    { class: "kern-body booking-summary__text" },
    _("Your choice: {day}, {time} ({zone}), {office}", {
      day: formatDay(dayOf(slot)),
      time: formatTime(slot.starts_at),
      zone: "Europe/Berlin",
      office: officeNamed(slot.office).name,
    }),
  );
}

// Step 4: contact.

document.getElementById("contact-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const section = sections.get("contact");
  const input = document.getElementById("email");
  const email = input.value.trim();
  if (email && !input.validity.valid) {
    showErrors(section, [{ field: "email", message: _("Please enter a valid e-mail address.") }]);
    return;
  }
  clearErrors(section);
  state.email = email;
  hold();
});

// Step 5: proof of work, then the hold.

const powStatus = document.getElementById("pow-status");
const retry = document.getElementById("check-retry");
retry.addEventListener("click", () => hold());

function holdRequest() {
  const body = {
    service: slug,
    office: state.slot.office,
    starts_at: state.slot.starts_at,
    channel: state.channel,
    language: lang,
  };
  if (state.email) body.email = state.email;
  // Reserving again joins the case of the previous hold instead of opening another.
  if (state.token) body.case_token = state.token;
  return body;
}

async function hold() {
  const section = sections.get("check");
  retry.hidden = true;
  clearErrors(section);
  show("check");
  try {
    const held = await holdWithProof(holdRequest(), powStatus);
    setOffline(false);
    state.token = held.token;
    state.appointment = held.appointment;
    showConfirm();
  } catch (error) {
    await holdFailed(error);
  }
}

async function holdFailed(error) {
  const fields = (error.errors || []).map((item) => item.field);
  if (error instanceof ApiError && (fields.includes("email") || error.code === "already_booked")) {
    show("contact");
    report(sections.get("contact"), error, () => "email");
  } else if (error instanceof ApiError && (SLOT_ERRORS.has(error.code) || fields.includes("starts_at"))) {
    try {
      await loadAvailability();
    } catch {
      // The slots shown stay the old ones; the error below says what happened.
    }
    showSlots({ preferred: dayOf(state.slot) });
    report(sections.get("slot"), error, () => "starts_at");
  } else {
    retry.hidden = false;
    report(sections.get("check"), error);
  }
}

// Step 6: confirm (in the app, or by the link in the mail).

const timerBox = document.getElementById("hold-timer");
const confirmButton = document.getElementById("confirm-button");
let poll = null;

const timer = new HoldTimer(timerBox, {
  renewEarly: false,
  renew: renewHold,
  onExpired: () => {
    confirmButton.hidden = true;
  },
});

async function renewHold(status) {
  const section = sections.get("confirm");
  clearErrors(section);
  try {
    const held = await holdWithProof(holdRequest(), status);
    state.token = held.token;
    state.appointment = held.appointment;
    confirmButton.hidden = Boolean(state.email);
    renderConfirmSummary();
    return held.appointment.hold_expires_at;
  } catch (error) {
    status.textContent = "";
    if (error instanceof ApiError && SLOT_ERRORS.has(error.code)) {
      await holdFailed(error);
      return null;
    }
    report(section, error, () => (state.email ? "email" : null));
    return null;
  }
}

function renderConfirmSummary() {
  const sentTo = state.email
    ? [h("p", { class: "kern-body" }, _("E-mail sent to: {email}", { email: state.email }))]
    : [];
  document.getElementById("confirm-summary").replaceChildren(appointmentDetails(state.appointment), ...sentTo);
}

function showConfirm() {
  const byMail = Boolean(state.email);
  const heading = document.getElementById("step-confirm-title");
  heading.textContent = byMail ? heading.dataset.titleEmail : heading.dataset.titleApp;
  document.getElementById("confirm-app-text").hidden = byMail;
  document.getElementById("confirm-email-text").hidden = !byMail;
  confirmButton.hidden = byMail;
  renderConfirmSummary();
  timer.renewEarly = !byMail;
  timer.start(state.appointment.hold_expires_at);
  clearErrors(sections.get("confirm"));
  show("confirm");
  if (byMail) watchForMailConfirmation();
}

confirmButton.addEventListener("click", () =>
  busy(confirmButton, sections.get("confirm"), async () => {
    const confirmed = await api(`/api/appointments/${encodeURIComponent(state.token)}/confirm`, {
      method: "POST",
    });
    showDone(confirmed.appointment);
  }),
);

document.getElementById("confirm-other").addEventListener("click", async (event) => {
  const control = event.currentTarget;
  await busy(control, sections.get("confirm"), async () => {
    // With an e-mail address the hold must go first: an address holds one time per
    // service. Without one it lapses by itself and frees the time without a delay.
    if (state.email) {
      await api(`/api/appointments/${encodeURIComponent(state.token)}/cancel`, { method: "POST" });
      state.token = null;
    }
    stopWatching();
    await loadAvailability();
    showSlots({ preferred: dayOf(state.slot) });
  });
});

/** With an e-mail address, the booking is confirmed in the mail: follow it from here. */
function watchForMailConfirmation() {
  stopWatching();
  const check = async () => {
    if (document.visibilityState !== "visible" || state.step !== "confirm") return;
    try {
      const current = await api(`/api/appointments/${encodeURIComponent(state.token)}`);
      setOffline(false);
      if (current.state === "confirmed") showDone(current);
    } catch (error) {
      if (error instanceof OfflineError) setOffline(true);
    }
  };
  poll = window.setInterval(check, CONFIRM_POLL_MS);
  document.addEventListener("visibilitychange", check);
  stopWatching.check = check;
}

function stopWatching() {
  if (poll !== null) window.clearInterval(poll);
  poll = null;
  if (stopWatching.check) document.removeEventListener("visibilitychange", stopWatching.check);
}

// Step 7: booked.

function showDone(appointment) {
  timer.stop();
  stopWatching();
  state.appointment = appointment;
  document.getElementById("done-appointment").replaceChildren(
    appointmentDetails(appointment),
    ...appointmentExtras(appointment),
  );
  show("done");
  announce(_("Your appointment is booked."));
}

// Start: the triage of this service.

async function start() {
  rememberLanguageChoice();
  try {
    await triage.load(slug);
    show("triage", { focus: false });
  } catch (error) {
    show("triage", { focus: false });
    report(sections.get("triage"), error);
  }
}

await start();
