/**
 * Joining the waiting list: channel, offices (none = any), the days, the address for the
 * offer; a proof of work, then the place in line, whose page this module opens.
 */

import { _, lang } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { api } from "./api.js";
import { clearErrors, report, showErrors } from "./feedback.js";
import { berlinDay } from "./format.js";
import { proofHeader } from "./holding.js";

const page = document.getElementById("waitlist-join");
const form = document.getElementById("waitlist-form");
const status = document.getElementById("waitlist-status");
const officesField = document.getElementById("offices-field");
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_DAYS = 28;

function channel() {
  const checked = form.querySelector("input[name=channel]:checked");
  return checked ? checked.value : form.elements.channel.value;
}

function followChannel() {
  // Video calls are held by the virtual office only: there is no office to choose.
  if (officesField) officesField.hidden = channel() === "video";
}

function prefill() {
  const query = new URLSearchParams(window.location.search);
  const wanted = query.get("channel");
  const radio = form.querySelector(`input[name=channel][value="${CSS.escape(wanted || "")}"]`);
  if (radio) radio.checked = true;
  const office = form.querySelector(`input[name=offices][value="${CSS.escape(query.get("office") || "")}"]`);
  if (office) office.checked = true;
  const today = berlinDay(Date.now());
  form.elements.first_day.value = today;
  form.elements.first_day.min = today;
  form.elements.last_day.value = berlinDay(Date.now() + (DEFAULT_DAYS - 1) * DAY_MS);
  form.elements.last_day.min = today;
  followChannel();
}

function checked() {
  const errors = [];
  const email = form.elements.email;
  if (!email.value.trim()) errors.push({ field: "email", message: _("Please enter your e-mail address.") });
  else if (!email.validity.valid) errors.push({ field: "email", message: _("Please enter a valid e-mail address.") });
  const first = form.elements.first_day.value;
  const last = form.elements.last_day.value;
  if (!first) errors.push({ field: "first_day", message: _("Please enter the first day.") });
  if (!last) errors.push({ field: "last_day", message: _("Please enter the last day.") });
  if (first && last && last < first) {
    errors.push({ field: "last_day", message: _("The last day must not be before the first day.") });
  }
  return errors;
}

form.addEventListener("change", (event) => {
  if (event.target.name === "channel") followChannel();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = checked();
  if (errors.length) {
    showErrors(page, errors);
    return;
  }
  clearErrors(page);
  const submit = document.getElementById("waitlist-submit");
  submit.disabled = true;
  const video = channel() === "video";
  const body = {
    service: page.dataset.service,
    email: form.elements.email.value.trim(),
    first_day: form.elements.first_day.value,
    last_day: form.elements.last_day.value,
    channel: channel(),
    language: lang,
    offices: video ? [] : [...form.querySelectorAll("input[name=offices]:checked")].map((box) => box.value),
  };
  try {
    const headers = await proofHeader(status);
    status.textContent = _("Putting you on the list…");
    const joined = await api("/api/waitlist", { method: "POST", headers, body });
    window.location.assign(`/${lang}/waitlist/${encodeURIComponent(joined.token)}`);
  } catch (error) {
    status.textContent = "";
    report(page, error);
    submit.disabled = false;
  }
});

rememberLanguageChoice();
prefill();
