/** The clerk workspace: keep the language choice and the Berlin clock in the heading. */

import { formatDate, formatTime } from "./i18n.js";
import { rememberLanguageChoice } from "./language-switch.js";

rememberLanguageChoice();

const clock = document.querySelector(".local-time time");
function tick() {
  const now = new Date();
  clock.dateTime = now.toISOString();
  clock.textContent = `${formatDate(now)}, ${formatTime(now)}`;
}
if (clock) setInterval(tick, 30_000);
