/**
 * A place on the waiting list: its state, how many are ahead, an open offer (accepted with
 * the link in the offer mail, which only the holder of the address can read), and leaving.
 */

import { _, ngettext } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { api } from "./api.js";
import { appointmentDetails } from "./appointment-view.js";
import { alert, descriptionList } from "./dom.js";
import { announce, report, setOffline } from "./feedback.js";
import { TIME_ZONE, formatDate, formatDay, formatNumber, formatTime } from "./format.js";

const page = document.getElementById("waitlist-page");
const token = decodeURIComponent(window.location.pathname.split("/")[3] || "");
const path = `/api/waitlist/${encodeURIComponent(token)}`;
const element = (id) => document.getElementById(id);

function stateNotice(entry) {
  const notices = {
    requested: ["info", _("Your request takes part in the draw")],
    waiting: ["info", _("You are on the waiting list")],
    offered: ["success", _("A time has been offered to you")],
    booked: ["success", _("You have booked the offered time")],
    declined: ["warning", _("You have declined the offered time")],
    expired: ["warning", _("The offer has expired")],
    withdrawn: ["warning", _("You have left the waiting list")],
  };
  const [kind, title] = notices[entry.state] || ["info", entry.state];
  return alert(kind, title);
}

function render(entry, { focus = false } = {}) {
  element("booking-loading").hidden = true;
  element("waitlist-state").replaceChildren(stateNotice(entry));
  const offices = entry.offices.length
    ? entry.offices.map((office) => office.name).join(", ")
    : _("Any office");
  element("waitlist-details").replaceChildren(
    descriptionList([
      [_("Service"), entry.service.name],
      [_("Kind of appointment"), entry.channel === "video" ? _("By video call") : _("In person at a district office")],
      [_("Offices"), entry.channel === "video" ? null : offices],
      [_("Days"), _("{first} to {last}", { first: formatDay(entry.first_day), last: formatDay(entry.last_day) })],
      [
        _("Ahead of you"),
        entry.ahead === null
          ? null
          : ngettext("{n} person", "{n} people", entry.ahead, { n: formatNumber(entry.ahead) }),
      ],
    ]),
  );
  const offer = entry.offer;
  element("waitlist-offer").hidden = !offer;
  if (offer) {
    element("waitlist-offer-text").textContent = _(
      "Accept it with the link in the e-mail we sent you, by {date}, {time} ({zone}).",
      { date: formatDate(offer.hold_expires_at), time: formatTime(offer.hold_expires_at), zone: TIME_ZONE },
    );
    element("waitlist-offer-details").replaceChildren(appointmentDetails(offer, { withState: false }));
  }
  element("waitlist-leave").hidden = !["requested", "waiting", "offered"].includes(entry.state);
  if (focus) element("waitlist-state").focus();
}

element("leave-button").addEventListener("click", async (event) => {
  const control = event.currentTarget;
  control.disabled = true;
  try {
    render(await api(`${path}/withdraw`, { method: "POST" }), { focus: true });
    setOffline(false);
    announce(_("You have left the waiting list."));
  } catch (error) {
    report(page, error);
  } finally {
    control.disabled = false;
  }
});

rememberLanguageChoice();
try {
  render(await api(path));
} catch (error) {
  element("booking-loading").hidden = true;
  report(page, error);
}
