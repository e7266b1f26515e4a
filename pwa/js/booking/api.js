/**
 * The booking API as the pages call it: JSON in and out, the page's language on every
 * request, and two kinds of failure. An `ApiError` carries the problem details the server
 * sent (a stable `code`, a translated `title`, `errors[].field`); an `OfflineError` means
 * the request never reached us, so nothing was changed.
 */

import { _, lang } from "../../i18n.js";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.title || _("Something went wrong on our side. Nothing was saved."));
    this.status = status;
    this.code = problem.code || "error";
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
  }
}

export class OfflineError extends Error {
  constructor() {
    super(_("You are offline. Please check your connection and try again."));
  }
}

// How far the server's clock is ahead of this device's, from the Date header of the last
// answer: a hold ends by the server's clock, whatever the phone's clock says.
let clockOffset = 0;

/** Now, by the server's clock, in milliseconds since the epoch. */
export function serverNow() {
  return Date.now() + clockOffset;
}

function noteServerTime(response) {
  const date = Date.parse(response.headers.get("Date") || "");
  if (!Number.isNaN(date)) clockOffset = date - Date.now();
}

/** Call `path` (e.g. "/api/holds"); resolves to the JSON answer or throws one of the above. */
export async function api(path, { method = "GET", body, headers = {} } = {}) {
  const url = new URL(path, window.location.origin);
  url.searchParams.set("lang", lang);
  const init = { method, cache: "no-store", headers: { Accept: "application/json", ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new OfflineError();
  }
  noteServerTime(response);
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // Not problem details (a proxy's error page): the generic message will do.
    }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

/** The path of one of the absolute links the API hands out, to use on this origin. */
export function localPath(link) {
  const url = new URL(link, window.location.origin);
  return url.pathname + url.search;
}
