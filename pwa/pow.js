/**
 * Proof of work before a protected request (booking a slot): an ALTCHA challenge from our
 * server, solved in Web Workers served from our own origin.
 *
 *   import { proofOfWork, POW_HEADER } from "/static/pwa/pow.js";
 *
 *   const payload = await proofOfWork({ status: document.querySelector("#pow-status") });
 *   const response = await fetch("/api/...", {
 *     method: "POST",
 *     headers: { "Content-Type": "application/json", [POW_HEADER]: payload },
 *     body: JSON.stringify(data),
 *   });
 *
 * A payload is accepted once and for five minutes: solve right before each request, and on
 * a problem answer with code `proof_of_work_missing`, `proof_of_work_invalid` or
 * `proof_of_work_reused`, solve again. `status` (optional) is an element with
 * `role="status"` whose text says what is going on; `signal` (optional) aborts.
 *
 * Why not the <altcha-widget>: its default bundle injects a <style> element and starts its
 * workers from blob: URLs, both refused by our CSP. Its `external` build with `altcha.css`
 * would work, but shows its own checkbox and texts outside our catalog; the check here is
 * invisible and needs no click. The solver and the worker are ALTCHA's own
 * (`/static/vendor/altcha/lib/index.js`, `/static/vendor/altcha/workers/sha.js`).
 */

import { solveChallengeWorkers } from "/static/vendor/altcha/lib/index.js";
import { _ } from "./i18n.js";

export const POW_HEADER = "X-Altcha";
const CHALLENGE_URL = "/api/altcha/challenge";
const WORKER_URL = "/static/vendor/altcha/workers/sha.js";
const MAX_WORKERS = 4;
const TIMEOUT_MS = 60_000;

/** Raised when no payload could be produced; `message` is translated, for the page. */
export class ProofOfWorkError extends Error {}

function say(status, text) {
  if (status) status.textContent = text;
}

async function fetchChallenge(signal) {
  try {
    const response = await fetch(CHALLENGE_URL, { cache: "no-store", signal });
    if (response.ok) return await response.json();
  } catch (error) {
    if (signal?.aborted) throw error;
  }
  throw new ProofOfWorkError(_("The check could not start. Please check your connection and try again."));
}

/** Fetch a challenge, solve it and return the payload for the `X-Altcha` header. */
export async function proofOfWork({ status, signal } = {}) {
  say(status, _("Checking…"));
  const challenge = await fetchChallenge(signal);
  const controller = new AbortController();
  signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const solution = await solveChallengeWorkers({
    challenge,
    controller,
    concurrency: Math.min(navigator.hardwareConcurrency || 1, MAX_WORKERS),
    createWorker: () => new Worker(WORKER_URL),
    timeout: TIMEOUT_MS,
  });
  if (signal?.aborted) throw signal.reason;
  if (!solution) {
    say(status, "");
    throw new ProofOfWorkError(_("The check took too long. Please try again."));
  }
  say(status, _("Check complete."));
  const payload = {
    challenge: { parameters: challenge.parameters, signature: challenge.signature },
    solution,
  };
  return btoa(JSON.stringify(payload));
}
