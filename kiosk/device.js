/**
 * The kiosk's own device credential: kept on the terminal after its enrolment, sent as
 * `Authorization: Device <credential>` with every request that needs an enrolled kiosk.
 *
 * Stored in localStorage (key `amtsweg-kiosk-device`) rather than IndexedDB: it is one
 * short string that must be known synchronously before a page shows anything (the start
 * page goes to the enrolment without a flash of the language choice), it survives
 * restarts in the terminal's persistent browser profile, and the page, not the service
 * worker, makes the authenticated requests (the offline outbox syncs from the page).
 * Either store is readable by any script of our origin; the strict CSP is what keeps
 * foreign scripts out, and a revoked credential stops working at once on the server.
 */

export const STORAGE_KEY = "amtsweg-kiosk-device";

/** `{ credential, device: {id, office_id, name}, office: {id, slug, name} }`, or null. */
export function enrolment() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) || "null");
    return stored && typeof stored.credential === "string" ? stored : null;
  } catch {
    return null;
  }
}

export function remember(enrolled) {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(enrolled));
}

export function forget() {
  localStorage.removeItem(STORAGE_KEY);
}

/** A device credential the server no longer accepts (revoked, or unknown). */
export function refused(response) {
  return response.status === 401;
}

/** `fetch` with this kiosk's credential; JSON in and out is left to the caller. */
export async function deviceFetch(path, options = {}) {
  const headers = new Headers(options.headers || {});
  const stored = enrolment();
  if (stored) headers.set("Authorization", `Device ${stored.credential}`);
  return fetch(path, { ...options, headers, cache: "no-store", credentials: "omit" });
}
