/**
 * Dates, times and numbers of the booking pages in the reader's language and digits, always
 * in Berlin time (the offices' time), which the pages name beside every time they show.
 * Booking codes and case references are never formatted: they keep their Latin letters
 * and digits, so that what the reader types at a kiosk is what the kiosk expects.
 */

import { lang } from "../../i18n.js";

export const TIME_ZONE = "Europe/Berlin";

const fullDate = new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, dateStyle: "full" });
const shortDay = new Intl.DateTimeFormat(lang, {
  timeZone: TIME_ZONE,
  weekday: "long",
  day: "numeric",
  month: "long",
});
const weekdayOnly = new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, weekday: "short" });
const dayAndMonth = new Intl.DateTimeFormat(lang, {
  timeZone: TIME_ZONE,
  day: "numeric",
  month: "short",
});
const clock = new Intl.DateTimeFormat(lang, { timeZone: TIME_ZONE, timeStyle: "short" });
const numbers = new Intl.NumberFormat(lang);

/** A Berlin calendar day ("2026-12-01") as an instant inside that day, for formatting. */
export function dayInstant(day) {
  return new Date(`${day}T12:00:00Z`);
}

/** "Dienstag, 1. Dezember 2026" for an instant or ISO string. */
export function formatDate(value) {
  return fullDate.format(new Date(value));
}

/** "Dienstag, 1. Dezember" for a Berlin calendar day. */
export function formatDay(day) {
  return shortDay.format(dayInstant(day));
}

/** The two lines of a day tile: "Di." and "1. Dez.". */
export function formatDayTile(day) {
  const instant = dayInstant(day);
  return [weekdayOnly.format(instant), dayAndMonth.format(instant)];
}

/** "09:15" in Berlin for an instant or ISO string. */
export function formatTime(value) {
  return clock.format(new Date(value));
}

export function formatNumber(value) {
  return numbers.format(value);
}

/** The Berlin calendar day of an instant, as "2026-12-01". */
export function berlinDay(value) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(new Date(value));
  const part = (type) => parts.find((item) => item.type === type).value;
  return `${part("year")}-${part("month")}-${part("day")}`;
}
