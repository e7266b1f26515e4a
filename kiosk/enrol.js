/**
 * The kiosk's enrolment screen: with a stored credential it asks the server who this
 * kiosk is (and forgets a credential that was revoked); without one, the attendant types
 * the one-time code and the kiosk keeps the credential it gets (see device.js).
 */

import { _, lang } from "/static/pwa/i18n.js";
import { deviceFetch, enrolment, forget, refused, remember } from "./device.js";

const $ = (id) => document.getElementById(id);

function showForm() {
  $("enrolled").hidden = true;
  $("enrol-form").hidden = false;
  $("enrol-code").focus();
}

function showEnrolled(identity) {
  $("enrolled-text").textContent = _("Kiosk “{name}” at {office}.", {
    name: identity.device.name,
    office: identity.office.name,
  });
  $("enrol-form").hidden = true;
  $("enrolled").hidden = false;
}

function showNotice(text) {
  $("enrol-notice-text").textContent = text;
  $("enrol-notice").hidden = false;
}

function showError(text) {
  $("enrol-error-text").textContent = text;
  $("enrol-error").hidden = false;
  $("enrol-error").focus();
}

async function checkStored(stored) {
  let response;
  try {
    response = await deviceFetch(`/api/kiosk/me?lang=${lang}`);
  } catch {
    showEnrolled(stored); // offline: the stored enrolment is all we know
    return;
  }
  if (response.ok) {
    const identity = await response.json();
    remember({ ...stored, device: identity.device, office: identity.office });
    showEnrolled(identity);
  } else if (refused(response)) {
    forget();
    showNotice(_("This kiosk's enrolment is no longer valid. Please enter a new enrolment code."));
    showForm();
  } else {
    showError(_("Something went wrong. Please try again."));
  }
}

$("enrol-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  $("enrol-error").hidden = true;
  const code = $("enrol-code").value.trim();
  if (!code) return;
  let response;
  try {
    response = await fetch(`/api/kiosk/enrol?lang=${lang}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ code }),
      credentials: "omit",
      cache: "no-store",
    });
  } catch {
    showError(_("The kiosk is offline. Enrolment needs a connection to the server."));
    return;
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) {
    showError(answer.title || _("Something went wrong. Please try again."));
    return;
  }
  remember(answer);
  window.location.assign(`/kiosk/${lang}/`);
});

const stored = enrolment();
if (stored) {
  await checkStored(stored);
} else {
  showForm();
}
