/**
 * The workspace's link to the administration: shown only to office leads and
 * administrators (the administration's API decides on its own what they may change).
 */

import { whoAmI } from "./clerk-api.js";

const link = document.getElementById("admin-link");
try {
  const session = await whoAmI();
  const staff = session.staff;
  if (link && staff && (staff.is_admin || staff.offices.some((office) => office.role === "lead"))) {
    link.hidden = false;
  }
} catch {
  // Without an answer the link stays hidden; the page itself reports the error.
}
