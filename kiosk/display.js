/** The call display: a wall screen that shows the time in Berlin beside the calls. */

import { formatTime } from "/static/pwa/i18n.js";

const clock = document.querySelector("[data-clock]");
function tick() {
  const now = new Date();
  clock.dateTime = now.toISOString();
  clock.textContent = formatTime(now);
}
if (clock) {
  tick();
  setInterval(tick, 15_000);
}
