/**
 * Choosing a day and a time. The days with free times are a radio group (one Tab stop;
 * the arrow keys go from day to day, as in any radio group); the times of the chosen day
 * are buttons whose accessible names say everything: "Tuesday, 1 December, 09:15 — 2 desks
 * free". Choosing a time calls `onChoose(slot)`.
 */

import { _, ngettext } from "../../i18n.js";
import { h, hidden } from "./dom.js";
import { TIME_ZONE, formatDay, formatDayTile, formatNumber, formatTime } from "./format.js";
import { announce } from "./feedback.js";

let pickers = 0;

export class SlotPicker {
  /** `container` receives the picker; `field` names it for errors (the API's "starts_at"). */
  constructor(container, { onChoose, field = "starts_at" }) {
    this.container = container;
    this.onChoose = onChoose;
    this.field = field;
    this.id = `picker-${++pickers}`;
    this.days = [];
  }

  /** Show `days` ([{ date, slots }]); `preferred` is the day to open on, if it has times. */
  show(days, { preferred = null, emptyText = null } = {}) {
    this.days = days.filter((day) => day.slots.length);
    if (!this.days.length) {
      this.container.replaceChildren(
        h(
          "div",
          { class: "slot-picker__empty", "data-field": this.field },
          h("p", { class: "kern-body empty-state" }, emptyText || _("There are no free times in the coming weeks.")),
        ),
      );
      return;
    }
    const chosen = this.days.find((day) => day.date === preferred) || this.days[0];
    const name = `${this.id}-day`;
    const daysList = h(
      "div",
      { class: "slot-days__list" },
      this.days.map((day) => {
        const id = `${this.id}-day-${day.date}`;
        const [weekday, date] = formatDayTile(day.date);
        const count = ngettext("{n} free time", "{n} free times", day.slots.length, {
          n: formatNumber(day.slots.length),
        });
        const input = h("input", {
          class: "slot-day__input",
          type: "radio",
          name,
          id,
          value: day.date,
          checked: day.date === chosen.date,
        });
        input.addEventListener("change", () => this.showTimes(day, { announceIt: true }));
        return h(
          "div",
          { class: "slot-day" },
          input,
          h(
            "label",
            { class: "slot-day__label", for: id },
            // The tile shows short forms; screen readers hear the day in full instead.
            h("span", { class: "slot-day__weekday", "aria-hidden": "true" }, weekday),
            h("span", { class: "slot-day__date", "aria-hidden": "true" }, date),
            hidden(_("{day}:", { day: formatDay(day.date) })),
            " ",
            h("span", { class: "slot-day__count" }, count),
          ),
        );
      }),
    );
    this.times = h("div", { class: "slot-times", role: "group", "aria-labelledby": `${this.id}-times-title` });
    this.container.replaceChildren(
      h(
        "div",
        { class: "slot-picker__body", "data-field": this.field },
        h(
          "fieldset",
          { class: "kern-fieldset slot-days" },
          h("legend", { class: "kern-label" }, _("Day")),
          h("div", { class: "kern-hint" }, _("Days with free times. The arrow keys move from day to day.")),
          h("div", { class: "kern-fieldset__body" }, daysList),
        ),
        this.times,
      ),
    );
    this.showTimes(chosen, { announceIt: false });
  }

  showTimes(day, { announceIt }) {
    const heading = h(
      "h2",
      { class: "kern-heading-small slot-times__title", id: `${this.id}-times-title` },
      _("Times on {day}", { day: formatDay(day.date) }),
      " ",
      h("span", { class: "local-time__zone" }, `(${_("time zone {zone}", { zone: TIME_ZONE })})`),
    );
    const list = h(
      "ul",
      { class: "slot-times__list" },
      day.slots.map((slot) => {
        const free = ngettext("{n} desk free", "{n} desks free", slot.capacity, {
          n: formatNumber(slot.capacity),
        });
        return h(
          "li",
          { class: "slot-times__item" },
          h(
            "button",
            {
              type: "button",
              class: "kern-btn kern-btn--secondary slot-time",
              "data-starts-at": slot.starts_at,
              onclick: () => this.onChoose(slot),
            },
            // Heard out of context (a list of buttons), a time needs its day. The name
            // is the content, so it always contains what the button shows.
            hidden(_("{day}:", { day: formatDay(day.date) })),
            " ",
            h("span", { class: "slot-time__clock" }, formatTime(slot.starts_at)),
            " ",
            h("span", { class: "slot-time__free" }, free),
          ),
        );
      }),
    );
    this.times.replaceChildren(heading, list);
    if (announceIt) {
      announce(
        ngettext("{n} free time on {day}", "{n} free times on {day}", day.slots.length, {
          n: formatNumber(day.slots.length),
          day: formatDay(day.date),
        }),
      );
    }
  }
}

/** The days of an availability answer with only the slots of one office. */
export function daysAt(availability, office) {
  return availability.days
    .map((day) => ({ date: day.date, slots: day.slots.filter((slot) => slot.office === office) }))
    .filter((day) => day.slots.length);
}

/** The first free slot of an office, or null. */
export function earliestAt(availability, office) {
  for (const day of availability.days) {
    const slot = day.slots.find((item) => item.office === office);
    if (slot) return slot;
  }
  return null;
}
