/**
 * What every administration screen shares: who is signed in, the error summary, the
 * status line, and the preview of appointments a change would cancel.
 *
 * A change that would strand booked appointments comes back as 409
 * `appointments_affected` with the appointments listed; the screen shows them and sends
 * the change again, naming them in `cancel_appointments`, only when the person confirms.
 */

import { _, lang } from "./i18n.js";
import { element, ProblemError, whoAmI } from "./clerk-api.js";

export const $ = (id) => document.getElementById(id);

const STATES = {
  confirmed: _("Booked"),
  held: _("Being booked"),
  offered: _("Offered from the waiting list"),
};

export { element }; // shared with the other clerk screens, re-exported for the admin ones

/** The signed-in staff member, or off to the login page (resolves to null then). */
export async function signedIn() {
  const session = await whoAmI();
  if (session.state !== "signed_in") {
    location.assign(`/clerk/${lang}/login`);
    return null;
  }
  for (const node of document.querySelectorAll("[data-admin-only]")) node.hidden = !session.staff.is_admin;
  return session.staff;
}

/** Whether `staff` leads at least one office (administrators count). */
export function administers(staff) {
  return staff.is_admin || staff.offices.some((office) => office.role === "lead");
}

/** Say what was done, politely, in the status line. */
export function say(text) {
  $("admin-status").textContent = text;
}

export function clearErrors() {
  $("admin-errors").hidden = true;
  $("admin-errors-list").replaceChildren();
  for (const field of document.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
}

function fieldFor(form, name) {
  if (!form || !name) return null;
  const base = String(name).replace(/\[\d+\]$/, "").split(".")[0];
  return form.querySelector(`[name="${CSS.escape(base)}"], [data-field="${CSS.escape(base)}"]`);
}

/** Show an error in the summary (with links to the fields it names), and focus it. */
export function showErrors(error, form) {
  if (error instanceof ProblemError && error.status === 401) {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  const problem = error instanceof ProblemError ? error.problem : {};
  $("admin-errors-text").textContent =
    error instanceof ProblemError ? problem.title || error.message : _("Something went wrong. Please try again.");
  const list = $("admin-errors-list");
  list.replaceChildren();
  for (const item of problem.errors || []) {
    const field = fieldFor(form, item.field);
    const entry = element("li");
    if (field && field.id) {
      field.setAttribute("aria-invalid", "true");
      const link = element("a", item.detail, "kern-link");
      link.href = `#${field.id}`;
      const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
      if (label) link.textContent = `${label.textContent.trim()}: ${item.detail}`;
      entry.append(link);
    } else {
      entry.textContent = item.detail;
    }
    list.append(entry);
  }
  $("admin-errors").hidden = false;
  $("admin-errors").focus();
}

function hideAffected() {
  $("affected").hidden = true;
}

function showAffected(problem, onConfirm) {
  $("affected-text").textContent = problem.title;
  const rows = $("affected-rows");
  rows.replaceChildren();
  for (const item of problem.appointments || []) {
    const row = element("tr");
    row.append(
      element("td", item.code),
      element("td", item.reference || "–"),
      element("td", item.local_start),
      element("td", STATES[item.state] || item.state),
    );
    rows.append(row);
  }
  const codes = (problem.appointments || []).map((item) => item.code);
  $("affected-confirm").onclick = () => onConfirm(codes);
  $("affected-keep").onclick = () => {
    hideAffected();
    say(_("Nothing was changed."));
    $("page-heading").focus();
  };
  $("affected").hidden = false;
  $("affected").focus();
}

/**
 * Send a change; when it would cancel appointments, show them and send it again with
 * their codes only once the person confirms. `send(codes)` performs the request (codes
 * is null the first time); `done(answer)` shows the result.
 */
export async function saveWithPreview(send, done, form) {
  clearErrors();
  hideAffected();
  const attempt = async (codes) => {
    clearErrors();
    hideAffected();
    try {
      await done(await send(codes));
    } catch (error) {
      if (error instanceof ProblemError && error.code === "appointments_affected") {
        showAffected(error.problem, attempt);
      } else {
        showErrors(error, form);
      }
    }
  };
  await attempt(null);
}

/** Run an action, showing any error in the summary. */
export async function guarded(action, form) {
  clearErrors();
  try {
    await action();
  } catch (error) {
    showErrors(error, form);
  }
}

/** The name of weekday 0 (Monday) … 6 in the page's language. */
export function weekdayName(weekday) {
  const monday = new Date(Date.UTC(2024, 0, 1 + weekday, 12));
  return new Intl.DateTimeFormat(lang, { weekday: "long", timeZone: "UTC" }).format(monday);
}

/** A per-language text in the page's language, else German. */
export function localized(texts) {
  if (!texts) return "";
  return texts[lang] || texts.de || "";
}

const OFFICE_FIELDS = ["slug", "kind", "name", "street", "postcode", "city", "phone", "email"];

/** An office's own fields from the add or edit form. */
export function officeBody(form) {
  const data = new FormData(form);
  const body = {};
  for (const name of OFFICE_FIELDS) body[name] = String(data.get(name) || "").trim();
  return body;
}

/** Fill the office form from an office. */
export function fillOffice(form, office) {
  for (const name of OFFICE_FIELDS) form.elements[name].value = office[name] ?? "";
}
