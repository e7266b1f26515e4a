/**
 * What the booking pages tell their reader when something happens: announcements for
 * screen readers, the offline notice, and form errors the way GOV.UK and KERN show them —
 * next to each field and summarized at the top of the step, where the focus goes.
 */

import { _ } from "../../i18n.js";
import { ApiError, OfflineError } from "./api.js";
import { h } from "./dom.js";

/** Say `text` in the page's polite live region (also when it is the same text again). */
export function announce(text) {
  const region = document.getElementById("booking-announcer");
  if (!region) return;
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = text;
  }, 50);
}

/** Show or hide the "you are offline" notice; `focus` moves the reader to it. */
export function setOffline(offline, { focus = false } = {}) {
  const notice = document.getElementById("booking-offline");
  if (!notice) return;
  notice.hidden = !offline;
  if (offline && focus) notice.focus();
}

window.addEventListener("online", () => setOffline(false));

function fieldContainer(scope, field) {
  return field ? scope.querySelector(`[data-field="${CSS.escape(field)}"]`) : null;
}

function focusTarget(container) {
  return (
    container.querySelector("input:checked, input:not([type=hidden]), select, textarea, button") ||
    container
  );
}

/** Remove the error summary and every field error inside `scope`. */
export function clearErrors(scope) {
  for (const summary of scope.querySelectorAll("[data-errors]")) summary.replaceChildren();
  for (const message of scope.querySelectorAll(".kern-error[data-error-for]")) message.remove();
  for (const container of scope.querySelectorAll("[data-field]")) {
    container.classList.remove("kern-form-input--error", "kern-fieldset--error", "booking-field--error");
    for (const control of container.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
      const described = (control.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter((id) => id && !id.endsWith("-error"));
      if (described.length) control.setAttribute("aria-describedby", described.join(" "));
      else control.removeAttribute("aria-describedby");
    }
  }
}

function markField(container, field, message) {
  const id = `${field.replace(/[^\w-]/g, "-")}-error`;
  container.classList.add(
    container.tagName === "FIELDSET" ? "kern-fieldset--error" : "kern-form-input--error",
    "booking-field--error",
  );
  const error = h(
    "p",
    { class: "kern-error", id, "data-error-for": field },
    h("span", { class: "kern-icon kern-icon--danger kern-icon--default", "aria-hidden": "true" }),
    h("span", { class: "kern-body" }, message),
  );
  // After the legend or label and hint, before the control, as KERN shows it.
  const after = container.querySelector(":scope > .kern-hint") ||
    container.querySelector(":scope > legend, :scope > label");
  if (after) after.after(error);
  else container.prepend(error);
  for (const control of container.querySelectorAll("input, select, textarea")) {
    control.setAttribute("aria-invalid", "true");
    const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    control.setAttribute("aria-describedby", [...described, id].join(" "));
  }
  return id;
}

/**
 * Show `errors` ([{ field, message }]) in `scope`: each next to its field (the element
 * with `data-field="<field>"`), all of them in the summary at the top, which takes the focus.
 */
export function showErrors(scope, errors) {
  clearErrors(scope);
  const summary = scope.querySelector("[data-errors]");
  const items = [];
  const seen = new Set();
  for (const { field, message } of errors) {
    const container = fieldContainer(scope, field);
    if (container) markField(container, field, message);
    if (seen.has(message)) continue;
    seen.add(message);
    if (container) {
      const target = focusTarget(container);
      if (!target.id) target.id = `${field}-control`;
      const link = h("a", { class: "kern-link", href: `#${target.id}` }, message);
      link.addEventListener("click", (event) => {
        event.preventDefault();
        target.focus();
      });
      items.push(h("li", {}, link));
    } else {
      items.push(h("li", {}, message));
    }
  }
  if (!summary) return;
  const title = h("h2", { class: "kern-title" }, _("Please check the following"));
  const box = h(
    "div",
    { class: "kern-alert kern-alert--danger error-summary", tabindex: "-1" },
    h(
      "div",
      { class: "kern-alert__header" },
      h("span", { class: "kern-icon kern-icon--danger", "aria-hidden": "true" }),
      title,
    ),
    h("div", { class: "kern-alert__body" }, h("ul", { class: "error-summary__list" }, items)),
  );
  summary.replaceChildren(box);
  box.focus();
}

/** The errors of an API problem, each on its field; `fieldFor(code)` names a field the
 *  server left out (e.g. `already_booked` belongs to the e-mail address). */
export function problemErrors(error, fieldFor = () => null) {
  if (error.errors.length) {
    return error.errors.map((item) => ({ field: item.field, message: item.detail || error.message }));
  }
  return [{ field: fieldFor(error.code), message: error.message }];
}

/** Report any failure in `scope`: offline, an API problem, or something unexpected. */
export function report(scope, error, fieldFor) {
  if (error instanceof OfflineError) {
    clearErrors(scope);
    setOffline(true, { focus: true });
    return;
  }
  setOffline(false);
  if (error instanceof ApiError) {
    showErrors(scope, problemErrors(error, fieldFor));
    return;
  }
  showErrors(scope, [{ message: _("Something went wrong. Please try again.") }]);
  throw error;
}

/** Run `action` with `control` disabled; a failure is reported in `scope`. */
export async function busy(control, scope, action, fieldFor) {
  if (control) control.disabled = true;
  try {
    await action();
  } catch (error) {
    report(scope, error, fieldFor);
  } finally {
    if (control) control.disabled = false;
  }
}
