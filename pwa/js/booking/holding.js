/**
 * Reserving a time: a proof of work first (ALTCHA, solved in this browser's workers), then
 * the hold. The proof is loaded only when it is needed, so that the pages still open and
 * say what is wrong when the network is gone.
 */

import { _ } from "../../i18n.js";
import { ApiError, OfflineError, api } from "./api.js";

/** Solve a fresh challenge, reporting progress in `status`; resolves to the header. */
export async function proofHeader(status) {
  let pow;
  try {
    pow = await import("../../pow.js");
  } catch {
    throw new OfflineError();
  }
  if (!navigator.onLine) throw new OfflineError();
  try {
    return { [pow.POW_HEADER]: await pow.proofOfWork({ status }) };
  } catch (error) {
    if (error instanceof pow.ProofOfWorkError) {
      throw new ApiError(0, { code: "proof_of_work_failed", title: error.message });
    }
    throw error;
  } finally {
    if (status) status.textContent = "";
  }
}

/** Hold the time in `body` (a HoldCreate); resolves to the Hold or throws an API error. */
export async function holdWithProof(body, status) {
  const headers = await proofHeader(status);
  if (status) status.textContent = _("Reserving the time…");
  try {
    return await api("/api/holds", { method: "POST", headers, body });
  } finally {
    if (status) status.textContent = "";
  }
}
