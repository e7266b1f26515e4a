/**
 * A hold made with an e-mail address is confirmed by the link in the mail, usually in
 * another tab. This follows the booking from the page that made it (every 15 seconds, and
 * whenever the page is looked at again), so that it shows the booking once it is booked.
 */

import { OfflineError, api } from "./api.js";
import { setOffline } from "./feedback.js";

const POLL_MS = 15_000;

export class ConfirmationWatch {
  /** `onConfirmed(appointment)` is called once the booking of `token` is confirmed. */
  constructor(onConfirmed) {
    this.onConfirmed = onConfirmed;
    this.interval = null;
    this.check = () => this.look();
  }

  start(token) {
    this.stop();
    this.token = token;
    this.interval = window.setInterval(this.check, POLL_MS);
    document.addEventListener("visibilitychange", this.check);
  }

  stop() {
    if (this.interval !== null) window.clearInterval(this.interval);
    this.interval = null;
    document.removeEventListener("visibilitychange", this.check);
  }

  async look() {
    if (document.visibilityState !== "visible" || this.interval === null) return;
    try {
      const current = await api(`/api/appointments/${encodeURIComponent(this.token)}`);
      setOffline(false);
      if (current.state === "confirmed" && this.interval !== null) {
        this.stop();
        this.onConfirmed(current);
      }
    } catch (error) {
      if (error instanceof OfflineError) setOffline(true);
    }
  }
}
