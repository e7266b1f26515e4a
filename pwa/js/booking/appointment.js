/**
 * A booking's own page: the appointment with its QR code, calendar file and what to
 * bring; a held one can be booked here; a booked one moved to another free time (the old
 * time is kept until the new one is confirmed) or cancelled on the cancel page.
 */

import { _, lang } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { api, serverNow } from "./api.js";
import { appointmentDetails, appointmentExtras, stateText } from "./appointment-view.js";
import { alert, h } from "./dom.js";
import { announce, clearErrors, report, setOffline } from "./feedback.js";
import { TIME_ZONE, berlinDay, formatDate, formatDay, formatTime } from "./format.js";
import { HoldTimer } from "./hold-timer.js";
import { SlotPicker, daysAt } from "./slot-picker.js";

const page = document.getElementById("appointment-page");
const token = decodeURIComponent(window.location.pathname.split("/")[3] || "");
const path = `/api/appointments/${encodeURIComponent(token)}`;
const element = (id) => document.getElementById(id);
let appointment = null;

// Reserving again needs what was given when booking: that is the booking page's job.
const timer = new HoldTimer(element("hold-timer"), {
  onExpired: () => {
    element("confirm-button").hidden = true;
    element("book-again").hidden = false;
  },
});

function stateNotice(current) {
  const notices = {
    confirmed: ["success", _("Your appointment is booked")],
    held: ["info", _("This time is reserved for you")],
    cancelled: ["warning", _("This appointment has been cancelled")],
    expired: ["warning", _("The reservation has ended without a booking")],
    checked_in: ["success", _("You have checked in")],
    completed: ["success", _("This appointment has taken place")],
    no_show: ["warning", _("This appointment was missed")],
  };
  const [kind, title] = notices[current.state] || ["info", stateText(current.state)];
  return alert(kind, title);
}

function render(current, { focusState = false } = {}) {
  appointment = current;
  element("booking-loading").hidden = true;
  element("appointment-state").replaceChildren(stateNotice(current));
  element("appointment-details").replaceChildren(appointmentDetails(current, { withState: false }));
  const booked = current.state === "confirmed";
  const future = Date.parse(current.starts_at) > serverNow();
  element("appointment-extras").replaceChildren(
    ...(booked ? appointmentExtras(current, { manageLink: false }) : []),
  );
  element("appointment-change").hidden = !(booked && future);
  element("cancel-link").href = `/${lang}/appointments/${encodeURIComponent(token)}/cancel`;
  const held = current.state === "held";
  element("appointment-hold").hidden = !held;
  if (held) {
    const byMail = current.confirm_by === "email";
    element("hold-app-text").hidden = byMail;
    element("hold-email-text").hidden = !byMail;
    element("confirm-button").hidden = byMail;
    timer.start(current.hold_expires_at);
  } else {
    timer.stop();
  }
  const over = ["cancelled", "expired"].includes(current.state);
  element("book-again").hidden = !over;
  element("book-again-link").href = `/${lang}/book/${current.service.slug}`;
  if (focusState) element("appointment-state").focus();
}

async function load() {
  try {
    render(await api(path));
    setOffline(false);
  } catch (error) {
    element("booking-loading").hidden = true;
    report(page, error);
  }
}

element("confirm-button").addEventListener("click", async (event) => {
  const control = event.currentTarget;
  control.disabled = true;
  try {
    const confirmed = await api(`${path}/confirm`, { method: "POST" });
    clearErrors(page);
    render(confirmed.appointment, { focusState: true });
    announce(_("Your appointment is booked."));
  } catch (error) {
    report(page, error);
  } finally {
    control.disabled = false;
  }
});

// Moving the appointment: pick an office (in person), a day and a time, then confirm.

const opener = element("reschedule-open");
const panel = element("reschedule");
const officeSelect = element("reschedule-office");
const confirmBox = element("reschedule-confirm");
let availability = null;
let chosen = null;

const picker = new SlotPicker(element("reschedule-picker"), {
  onChoose: (slot) => {
    chosen = slot;
    const office = availability.offices.find((item) => item.slug === slot.office);
    element("reschedule-choice").textContent = _(
      "Move your appointment to {day}, {time} ({zone}), {office}?",
      { day: formatDay(dayOf(slot)), time: formatTime(slot.starts_at), zone: TIME_ZONE, office: office.name },
    );
    confirmBox.hidden = false;
    element("reschedule-choice").focus();
  },
});

/** The Berlin day a slot starts on (also for a slot no longer in the availability). */
function dayOf(slot) {
  return berlinDay(slot.starts_at);
}

function showPicker() {
  confirmBox.hidden = true;
  picker.show(daysAt(availability, officeSelect.value || appointment.office.slug), {
    emptyText: _("This office has no other free times in the coming weeks."),
  });
}

opener.addEventListener("click", async () => {
  if (!panel.hidden) {
    panel.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    return;
  }
  opener.disabled = true;
  try {
    const query = new URLSearchParams({ service: appointment.service.slug, channel: appointment.channel });
    availability = await api(`/api/availability?${query}`);
    setOffline(false);
    officeSelect.replaceChildren(
      ...availability.offices.map((office) =>
        h("option", { value: office.slug, selected: office.slug === appointment.office.slug }, office.name),
      ),
    );
    element("reschedule-office-field").hidden = availability.offices.length < 2;
    panel.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    showPicker();
    element("reschedule-heading").focus();
  } catch (error) {
    report(page, error);
  } finally {
    opener.disabled = false;
  }
});

officeSelect.addEventListener("change", showPicker);

element("reschedule-keep").addEventListener("click", () => {
  panel.hidden = true;
  opener.setAttribute("aria-expanded", "false");
  opener.focus();
});

element("reschedule-button").addEventListener("click", async (event) => {
  const control = event.currentTarget;
  control.disabled = true;
  try {
    const moved = await api(`${path}/reschedule`, {
      method: "POST",
      body: { starts_at: chosen.starts_at, office: chosen.office, channel: appointment.channel },
    });
    clearErrors(page);
    panel.hidden = true;
    opener.setAttribute("aria-expanded", "false");
    render(moved);
    const text = _("Your appointment has been moved to {date}, {time} ({zone}).", {
      date: formatDate(moved.starts_at),
      time: formatTime(moved.starts_at),
      zone: TIME_ZONE,
    });
    const notice = alert("success", text);
    notice.dataset.notice = "moved";
    element("appointment-state").replaceChildren(notice);
    element("appointment-state").focus();
  } catch (error) {
    report(page, error, () => "starts_at");
  } finally {
    control.disabled = false;
  }
});

rememberLanguageChoice();
await load();
