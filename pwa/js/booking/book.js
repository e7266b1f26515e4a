/**
 * Booking a service, one step at a time: triage → office → day and time → contact →
 * proof of work and hold → confirm → done. Each step is a section of the page with its
 * own h1, which takes the focus when the step appears; errors from the API go next to
 * the field they name and into the summary at the top of the step.
 */

import { _, lang } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { ApiError, api } from "./api.js";
import { appointmentDetails, appointmentExtras, place } from "./appointment-view.js";
import { ConfirmationWatch } from "./confirmation-watch.js";
import { h } from "./dom.js";
import { announce, busy, clearErrors, report, setOffline, showErrors } from "./feedback.js";
import { berlinDay, formatDay, formatTime } from "./format.js";
import { HoldTimer } from "./hold-timer.js";
import { holdWithProof } from "./holding.js";
import { officeOptions } from "./offices.js";
import { SlotPicker, daysAt } from "./slot-picker.js";
import { Steps } from "./steps.js";
import { Triage } from "./triage.js";

const root = document.getElementById("book");
const slug = root.dataset.service;
const SLOT_ERRORS = new Set([
  "slot_taken", "slot_in_past", "notice_too_short", "beyond_booking_window", "office_closed",
  "outside_opening_hours", "slot_in_lottery", "not_offered_here", "channel_not_offered",
]);  // prettier-ignore

const state = {
  channel: null,
  availability: null,
  office: null,
  slot: null,
  email: "",
  token: null,
  appointment: null,
};

const steps = new Steps(root, {
  // The office is a step only where there is more than one to choose from.
  names: () => [
    "triage",
    ...(!state.availability || state.availability.offices.length > 1 ? ["place"] : []),
    ...["slot", "contact", "check", "confirm"],
  ],
  progress: document.getElementById("booking-progress"),
  loading: document.getElementById("booking-loading"),
  skipOnBack: ["check"],  // back from the contact goes to the time, not to the check
});
const sections = steps.sections;
const show = (name, options) => steps.show(name, options);

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
  document.getElementById("office-options").replaceChildren(
    ...officeOptions(state.availability, state.office),
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
const watch = new ConfirmationWatch((appointment) => showDone(appointment));

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
  if (byMail) watch.start(state.token);
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
    watch.stop();
    timer.stop();
    await loadAvailability();
    showSlots({ preferred: dayOf(state.slot) });
  });
});

// Step 7: booked.

function showDone(appointment) {
  timer.stop();
  watch.stop();
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
