/**
 * The staff login page: user name and password, then the code from an authenticator app.
 * At the first login the server sends a TOTP secret instead: the page shows it as a QR
 * code and as text, and the first code confirms it. Signed in, the page goes on to the
 * workspace; someone already signed in goes there at once.
 */

import { _, lang } from "./i18n.js";
import { ProblemError, staffFetch, whoAmI } from "./clerk-api.js";
import { rememberLanguageChoice } from "./language-switch.js";

rememberLanguageChoice();

const WORKSPACE = `/clerk/${lang}/`;
const passwordForm = document.getElementById("password-form");
const codeForm = document.getElementById("code-form");
const enrolment = document.getElementById("enrolment");
const errorBox = document.getElementById("login-error");
const notice = document.getElementById("login-notice");

function show(box, textId, message) {
  document.getElementById(textId).textContent = message;
  box.hidden = false;
}

function showError(error) {
  const message =
    error instanceof ProblemError ? error.message : _("The server cannot be reached. Please try again.");
  show(errorBox, "login-error-text", message);
  errorBox.focus();
}

function toPasswordStep() {
  codeForm.hidden = true;
  enrolment.hidden = true;
  passwordForm.hidden = false;
  passwordForm.password.value = "";
  passwordForm.username.focus();
}

function toCodeStep(step) {
  passwordForm.hidden = true;
  if (step.next === "enrol" && step.enrolment) {
    const svg = step.enrolment.qr_svg;
    document.getElementById("enrolment-qr").src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    // Groups of four are easier to read out and type in.
    document.getElementById("enrolment-secret").textContent = step.enrolment.secret.replace(/(.{4})/g, "$1 ").trim();
    enrolment.hidden = false;
  }
  codeForm.hidden = false;
  codeForm.code.value = "";
  codeForm.code.focus();
}

async function submit(form, action) {
  const button = form.querySelector("button[type=submit]");
  errorBox.hidden = true;
  notice.hidden = true;
  button.disabled = true;
  try {
    await action();
  } catch (error) {
    showError(error);
    if (error instanceof ProblemError && error.code === "login_step_expired") toPasswordStep();
  } finally {
    button.disabled = false;
  }
}

passwordForm.addEventListener("submit", (event) => {
  event.preventDefault();
  submit(passwordForm, async () => {
    const body = { username: passwordForm.username.value, password: passwordForm.password.value };
    toCodeStep(await staffFetch("/api/staff/login", { method: "POST", body }));
  });
});

codeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  submit(codeForm, async () => {
    const body = { code: codeForm.code.value.replace(/\s/g, "") };
    await staffFetch("/api/staff/login/code", { method: "POST", body });
    location.assign(WORKSPACE);
  });
});

try {
  const { state } = await whoAmI();
  if (state === "signed_in") location.replace(WORKSPACE);
  else if (state === "expired") show(notice, "login-notice-text", _("Your session has expired. Please log in again."));
} catch {
  // The server cannot be reached: the form stays, and says so when it is sent.
}
