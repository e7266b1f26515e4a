/**
 * The confirm link of the mails. A held booking is confirmed (double opt-in), a time
 * offered from the waiting list is accepted or declined — each with a click, so that a
 * mail scanner following the link changes nothing. Confirming hands out the booking's
 * link, QR code and calendar file, shown here at once.
 */

import { _, lang } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { api } from "./api.js";
import { appointmentDetails, appointmentExtras } from "./appointment-view.js";
import { alert } from "./dom.js";
import { announce, report, setOffline } from "./feedback.js";
import { TIME_ZONE, formatDate, formatTime } from "./format.js";
import { HoldTimer } from "./hold-timer.js";

const page = document.getElementById("confirm-page");
const token = decodeURIComponent(window.location.pathname.split("/")[3] || "");
const path = `/api/confirm/${encodeURIComponent(token)}`;
const element = (id) => document.getElementById(id);
const heading = element("page-title");
const siteName = document.title.split(" – ").slice(1).join(" – ");

function title(text) {
  heading.textContent = text;
  document.title = `${text} – ${siteName}`;
}

// The hold ends by itself: the page says when, and warns before it does.
const timer = new HoldTimer(element("hold-timer"), {
  onExpired: () => {
    element("confirm-button").hidden = true;
    element("book-again").hidden = false;
  },
});

function render(appointment) {
  element("booking-loading").hidden = true;
  if (appointment.state === "held" && appointment.hold_expires_at) timer.start(appointment.hold_expires_at);
  else timer.stop();
  element("confirm-details").replaceChildren(appointmentDetails(appointment));
  element("book-again-link").href = `/${lang}/book/${appointment.service.slug}`;
  element("confirm-ask").hidden = appointment.state !== "held";
  element("offer-ask").hidden = appointment.state !== "offered";
  element("book-again").hidden = !["cancelled", "expired"].includes(appointment.state);
  const notices = {
    confirmed: ["success", _("This appointment is booked. The link to manage it is in the e-mail we sent you.")],
    cancelled: ["warning", _("This appointment has been cancelled.")],
    expired: ["warning", _("The reservation has ended and the time is free again. Please choose a time again.")],
  };
  const notice = notices[appointment.state];
  element("confirm-state").replaceChildren(...(notice ? [alert(...notice)] : []));
  if (appointment.state === "offered") {
    title(heading.dataset.titleOffer);
    element("offer-text").textContent = _(
      "This time has become free and is offered to you from the waiting list. Please accept it by {date}, {time} ({zone}), or decline it so that the next person can have it.",
      {
        date: formatDate(appointment.hold_expires_at),
        time: formatTime(appointment.hold_expires_at),
        zone: TIME_ZONE,
      },
    );
  }
}

async function act(control, suffix, done) {
  control.disabled = true;
  try {
    const answer = await api(`${path}${suffix}`, { method: "POST" });
    setOffline(false);
    done(answer);
  } catch (error) {
    report(page, error);
  } finally {
    control.disabled = false;
  }
}

function booked(confirmed) {
  render(confirmed.appointment);
  element("confirm-state").replaceChildren();
  element("confirm-extras").replaceChildren(...appointmentExtras(confirmed.appointment));
  title(heading.dataset.titleDone);
  heading.focus();
  announce(_("Your appointment is booked."));
}

element("confirm-button").addEventListener("click", (event) => act(event.currentTarget, "", booked));
element("accept-button").addEventListener("click", (event) => act(event.currentTarget, "", booked));
element("decline-button").addEventListener("click", (event) =>
  act(event.currentTarget, "/decline", (appointment) => {
    render(appointment);
    element("confirm-state").replaceChildren(
      alert("success", _("You have declined the offer. The time goes to the next person on the waiting list.")),
    );
    heading.focus();
  }),
);

rememberLanguageChoice();
try {
  render(await api(path));
} catch (error) {
  element("booking-loading").hidden = true;
  report(page, error);
}
