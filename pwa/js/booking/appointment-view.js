/**
 * A booking as its holder sees it, on every page that shows one: what, when (Berlin time,
 * named), where, its code; and once booked, the QR code, the calendar file, what to bring
 * and the link that manages it.
 */

import { _ } from "../../i18n.js";
import { localPath } from "./api.js";
import { descriptionList, h } from "./dom.js";
import { TIME_ZONE, formatDate, formatTime } from "./format.js";

export function stateText(state) {
  return (
    {
      held: _("Reserved, not booked yet"),
      confirmed: _("Booked"),
      cancelled: _("Cancelled"),
      expired: _("Reservation ended"),
      offered: _("Offered to you"),
      withheld: _("Not available"),
      checked_in: _("Checked in"),
      completed: _("Done"),
      no_show: _("Missed"),
    }[state] || state
  );
}

/** "09:15–09:30 (Europe/Berlin)" as nodes, the zone set apart. */
export function timeRange(startsAt, endsAt) {
  return h(
    "span",
    { class: "local-time" },
    h("time", { datetime: startsAt }, formatTime(startsAt)),
    "–",
    h("time", { datetime: endsAt }, formatTime(endsAt)),
    " ",
    h("span", { class: "local-time__zone" }, `(${_("time zone {zone}", { zone: TIME_ZONE })})`),
  );
}

/** Where: a district office's address, or the video call of the virtual office. */
export function place(office, channel) {
  if (channel === "video") {
    return h(
      "span",
      { class: "appointment-place" },
      h("span", { class: "appointment-place__name" }, _("Video call")),
      h("span", { class: "appointment-place__line" }, office.name),
    );
  }
  return h(
    "span",
    { class: "appointment-place" },
    h("span", { class: "appointment-place__name" }, office.name),
    office.street ? h("span", { class: "appointment-place__line" }, office.street) : null,
    h("span", { class: "appointment-place__line" }, `${office.postcode} ${office.city}`.trim()),
  );
}

/** A code as typed at the kiosk: Latin letters and digits, left to right in any language. */
export function code(text) {
  return h("span", { class: "booking-code", dir: "ltr", translate: "no" }, text);
}

/** The facts of a booking as a description list. */
export function appointmentDetails(appointment, { withState = true } = {}) {
  return descriptionList(
    [
      [_("Service"), appointment.service.name],
      [_("Date"), h("time", { datetime: appointment.local_date }, formatDate(appointment.starts_at))],
      [_("Time"), timeRange(appointment.starts_at, appointment.ends_at)],
      [_("Place"), place(appointment.office, appointment.channel)],
      [_("Booking code"), code(appointment.code), "appointment-details__code"],
      [_("Case reference"), appointment.reference ? code(appointment.reference) : null],
      [_("Status"), withState ? stateText(appointment.state) : null, "appointment-details__state"],
    ],
    { class: "kern-description-list appointment-details" },
  );
}

/** What a booked appointment's holder keeps: QR code, calendar file, documents, link. */
export function appointmentExtras(appointment, { manageLink = true } = {}) {
  const { links } = appointment;
  const parts = [];
  if (links) {
    parts.push(
      h(
        "section",
        { class: "appointment-section appointment-qr", "aria-labelledby": "qr-heading" },
        h("h2", { class: "kern-heading-medium", id: "qr-heading" }, _("Check in with this QR code")),
        h(
          "figure",
          { class: "appointment-qr__figure" },
          h("img", {
            src: localPath(links.qr_url),
            alt: _("QR code of the link to this booking, booking code {code}", { code: appointment.code }),
            width: "200",
            height: "200",
            class: "appointment-qr__image",
          }),
          h(
            "figcaption",
            { class: "kern-body kern-body--small" },
            _("Show it at the kiosk in the office, or type in the booking code. The code contains this link:"),
            " ",
            h("a", { class: "kern-link appointment-link", href: localPath(links.manage_url), dir: "ltr" }, links.manage_url),
          ),
        ),
      ),
      h(
        "section",
        { class: "appointment-section", "aria-labelledby": "calendar-heading" },
        h("h2", { class: "kern-heading-medium", id: "calendar-heading" }, _("Add it to your calendar")),
        h(
          "p",
          { class: "kern-body" },
          h(
            "a",
            {
              class: "kern-link appointment-ics",
              href: localPath(links.ics_url),
              download: "appointment.ics",
              type: "text/calendar",
            },
            h("span", { class: "kern-icon kern-icon--calendar-today", "aria-hidden": "true" }),
            _("Download calendar file (ICS), with a reminder"),
          ),
        ),
      ),
    );
  }
  const documents = appointment.service.documents || [];
  parts.push(
    h(
      "section",
      { class: "appointment-section", "aria-labelledby": "bring-heading" },
      h("h2", { class: "kern-heading-medium", id: "bring-heading" }, _("What to bring")),
      documents.length
        ? h("ul", { class: "kern-list kern-list--bullet appointment-documents" }, documents.map((item) => h("li", {}, item)))
        : h("p", { class: "kern-body" }, _("Nothing but yourself.")),
      h("p", { class: "kern-body" }, _("Fee: {fee}", { fee: appointment.service.fee })),
    ),
  );
  if (links && manageLink) {
    parts.push(
      h(
        "section",
        { class: "appointment-section", "aria-labelledby": "manage-heading" },
        h("h2", { class: "kern-heading-medium", id: "manage-heading" }, _("Change or cancel")),
        h(
          "p",
          { class: "kern-body" },
          _("Anyone with this link can see, move or cancel the booking. Keep it to yourself:"),
          " ",
          h("a", { class: "kern-link appointment-manage", href: localPath(links.manage_url), dir: "ltr" }, links.manage_url),
        ),
      ),
    );
  }
  return parts;
}
