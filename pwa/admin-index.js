/**
 * The administration's start page: shows the links the signed-in person may use
 * (offices for leads and administrators; services, staff and devices for administrators).
 */

import { $, administers, guarded, signedIn } from "./admin-common.js";

await guarded(async () => {
  const staff = await signedIn();
  if (staff && !administers(staff)) $("no-rights").hidden = false;
});
