/**
 * The offices that offer a service, as a radio group, each with its address and its
 * earliest free time, so that choosing where already says when.
 */

import { _ } from "../../i18n.js";
import { h } from "./dom.js";
import { berlinDay, formatDay, formatTime } from "./format.js";
import { earliestAt } from "./slot-picker.js";

/** One radio per office of `availability`; `chosen` is the slug checked, if any. */
export function officeOptions(availability, chosen) {
  return availability.offices.map((office) => {
    const id = `office-${office.slug}`;
    const earliest = earliestAt(availability, office.slug);
    const when = earliest
      ? _("Earliest free time: {day}, {time}", {
          day: formatDay(berlinDay(earliest.starts_at)),
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
        checked: office.slug === chosen,
      }),
      h(
        "label",
        { class: "kern-label booking-option__label", for: id },
        h("span", { class: "booking-option__title" }, office.name),
        h("span", { class: "booking-option__detail" }, `${office.street}, ${office.postcode} ${office.city}`),
        h("span", { class: "booking-option__detail booking-option__when" }, when),
      ),
    );
  });
}
