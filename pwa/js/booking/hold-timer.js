/**
 * The countdown of a held time. A hold ends by itself after a few minutes, so the page
 * says when, in Berlin time and as minutes left; two minutes before the end it warns (in
 * the live region too) and offers to keep the time, and once the time is up it says so and
 * offers to reserve it again. No time limit without a warning and a way to extend it.
 */

import { _, ngettext } from "../../i18n.js";
import { serverNow } from "./api.js";
import { alert, button, h } from "./dom.js";
import { announce } from "./feedback.js";
import { TIME_ZONE, formatNumber, formatTime } from "./format.js";

const WARN_MS = 2 * 60 * 1000;
const TICK_MS = 1000;

export class HoldTimer {
  /**
   * `renew(status)` reserves the time again and resolves to the new `hold_expires_at`
   * (without it, the timer only counts down); `renewEarly` says whether that may happen
   * before the hold has ended (a hold with an e-mail address cannot: the address may
   * hold one time per service only).
   */
  constructor(container, { renew = null, renewEarly = true, onExpired = () => {} }) {
    this.container = container;
    this.renew = renew;
    this.renewEarly = renewEarly;
    this.onExpired = onExpired;
    this.interval = null;
  }

  start(expiresAt) {
    this.stop();
    // How many holds this timer has followed: a renewed hold is a new one.
    this.container.dataset.holds = String(Number(this.container.dataset.holds || 0) + 1);
    this.expiresAt = Date.parse(expiresAt);
    this.phase = null;
    this.shownMinutes = null;
    this.text = h("p", { class: "kern-body hold-timer__text" });
    this.status = h("p", { class: "kern-body hold-timer__status", role: "status" });
    this.action = button(this.renewEarly ? _("Keep this time for longer") : _("Reserve this time again"), {
      kind: "secondary",
      class: "kern-btn kern-btn--secondary hold-timer__renew",
      onclick: () => this.doRenew(),
    });
    this.action.hidden = true;
    this.box = h("div", { class: "hold-timer__box" });
    this.container.replaceChildren(this.box);
    this.tick();
    this.interval = window.setInterval(() => this.tick(), TICK_MS);
  }

  stop() {
    if (this.interval !== null) window.clearInterval(this.interval);
    this.interval = null;
  }

  left() {
    return this.expiresAt - serverNow();
  }

  tick() {
    const left = this.left();
    const phase = left <= 0 ? "expired" : left <= WARN_MS ? "warning" : "running";
    const minutes = Math.max(0, Math.ceil(left / 60000));
    if (phase !== this.phase) this.enter(phase, minutes);
    else if (minutes !== this.shownMinutes) this.describe(phase, minutes);
  }

  describe(phase, minutes) {
    this.shownMinutes = minutes;
    const until = _("Reserved for you until {time} ({zone}).", {
      time: formatTime(this.expiresAt),
      zone: TIME_ZONE,
    });
    if (phase === "expired") {
      this.text.textContent = _("Your reservation has ended. The time may now be booked by someone else.");
      return;
    }
    const remaining = ngettext("About {n} minute left.", "About {n} minutes left.", minutes, {
      n: formatNumber(minutes),
    });
    this.text.textContent = `${until} ${remaining}`;
  }

  enter(phase, minutes) {
    this.phase = phase;
    this.describe(phase, minutes);
    const kind = { running: "info", warning: "warning", expired: "danger" }[phase];
    const title = {
      running: _("Reserved for you"),
      warning: _("Your reservation ends soon"),
      expired: _("Your reservation has ended"),
    }[phase];
    const box = alert(kind, title, this.text, this.status, this.action);
    box.classList.add("hold-timer__box");
    this.box.replaceWith(box);
    this.box = box;
    const canRenew = Boolean(this.renew);
    if (phase === "warning") {
      this.action.hidden = !(canRenew && this.renewEarly);
      const params = { n: formatNumber(minutes) };
      announce(
        canRenew && this.renewEarly
          ? ngettext(
              "Your reservation ends in {n} minute. You can keep the time for longer.",
              "Your reservation ends in {n} minutes. You can keep the time for longer.",
              minutes,
              params,
            )
          : ngettext(
              "Your reservation ends in {n} minute. Please book it soon.",
              "Your reservation ends in {n} minutes. Please book it soon.",
              minutes,
              params,
            ),
      );
    } else if (phase === "expired") {
      this.stop();
      this.action.hidden = !canRenew;
      this.action.querySelector(".kern-label").textContent = _("Reserve this time again");
      announce(
        canRenew
          ? _("Your reservation has ended. You can reserve the time again.")
          : _("Your reservation has ended."),
      );
      this.onExpired();
    } else {
      this.action.hidden = true;
    }
  }

  async doRenew() {
    this.action.disabled = true;
    try {
      const expiresAt = await this.renew(this.status);
      if (expiresAt) {
        this.start(expiresAt);
        // The button that had the focus is gone with the old box: the new box takes it.
        this.box.setAttribute("tabindex", "-1");
        this.box.focus();
        announce(_("The time is reserved for you again until {time} ({zone}).", {
          time: formatTime(expiresAt),
          zone: TIME_ZONE,
        }));
      }
    } finally {
      this.action.disabled = false;
    }
  }
}
