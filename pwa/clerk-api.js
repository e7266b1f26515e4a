/**
 * Requests of the clerk workspace to the staff API: JSON in and out, the CSRF token on
 * every unsafe request, answers' messages in the page's language.
 *
 * The server sets the `amtsweg-csrf` cookie (`__Host-amtsweg-csrf` on https) when a staff
 * page or API is fetched with GET; it must come back in the `X-CSRF-Token` header, or the
 * server refuses the request with 403. Another site can neither read the cookie nor send
 * the header, which is the whole protection.
 */

import { _, lang } from "./i18n.js";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** The CSRF token from its cookie, or "" before the server has set one. */
export function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?amtsweg-csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** A problem answer (RFC 9457) as an Error with its `code`, `status` and translated text. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.title || String(status));
    this.status = status;
    this.code = problem.code || "";
    this.problem = problem;
  }
}

/**
 * `fetch` for the staff API: `body` is sent as JSON, the answer is parsed; a non-2xx
 * answer is thrown as a ProblemError. `?lang=` makes the server answer in this language.
 */
export async function staffFetch(path, { method = "GET", body } = {}) {
  const url = new URL(path, location.origin);
  url.searchParams.set("lang", lang);
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE.has(method)) headers["X-CSRF-Token"] = csrfToken();
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ProblemError(response.status, data || {});
  return data;
}

/** Who is signed in: `{ state: "signed_in" | "expired" | "none", staff }`; never a 401. */
export async function whoAmI() {
  return staffFetch("/api/staff/session");
}

/** End the session and go to the login page. */
export async function logout() {
  await staffFetch("/api/staff/logout", { method: "POST" });
  location.assign(`/clerk/${lang}/login`);
}

/** An element with its text and class, for what the screens build from API answers. */
export function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Show a request's error in the page's alert box `#<box>` (its text in `#<box>-text`),
 * or go to the log-in page when the session has ended. */
export function showProblem(box, error) {
  if (error instanceof ProblemError && error.status === 401) {
    location.assign(`/clerk/${lang}/login`);
    return;
  }
  document.getElementById(`${box}-text`).textContent =
    error instanceof ProblemError ? error.problem.detail || error.message : _("Something went wrong. Please try again.");
  const alert = document.getElementById(box);
  alert.hidden = false;
  alert.focus();
}
