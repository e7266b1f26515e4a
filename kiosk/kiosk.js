/**
 * The kiosk terminal: works offline from its own service worker, keeps the Berlin clock
 * in the footer current, and returns to the language choice when a visitor walks away.
 */

import { formatTime } from "/static/pwa/i18n.js";
import { keepOffline } from "/static/pwa/offline.js";

const IDLE_MS = 90_000;
// Where enrol.js keeps the device credential (see device.js); read inline, so that this
// precached module works offline without another file.
const DEVICE_KEY = "amtsweg-kiosk-device";

// A terminal without its credential (never enrolled, or revoked) is enrolled first; every
// visitor passes the start page, and the other screens return to it when left idle.
const START = `/kiosk/${document.documentElement.lang}/`;
if (window.location.pathname === START && !localStorage.getItem(DEVICE_KEY)) {
  window.location.replace(`${START}enrol`);
}

function keepClock() {
  const clock = document.querySelector("[data-clock]");
  if (!clock) return;
  const tick = () => {
    const now = new Date();
    clock.dateTime = now.toISOString();
    clock.textContent = formatTime(now);
  };
  tick();
  setInterval(tick, 15_000);
}

// A screen other than the language choice goes back to it after a while without a touch,
// so the next visitor never starts in the previous visitor's language or service.
function resetWhenIdle() {
  const start = `/kiosk/${document.documentElement.lang}/`;
  if (window.location.pathname === start) return;
  let timer;
  const restart = () => {
    clearTimeout(timer);
    timer = setTimeout(() => window.location.assign(start), IDLE_MS);
  };
  for (const type of ["pointerdown", "keydown", "touchstart"]) {
    document.addEventListener(type, restart, { passive: true });
  }
  restart();
}

keepClock();
resetWhenIdle();
await keepOffline("/kiosk/sw.js", "/kiosk/");
