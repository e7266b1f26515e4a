/**
 * The offices one administers (all for administrators, their own for leads), and for
 * administrators a form to add an office.
 */

import { lang, _ } from "./i18n.js";
import { staffFetch } from "./clerk-api.js";
import { $, element, guarded, officeBody, say, signedIn } from "./admin-common.js";

const KINDS = { district: _("District office"), virtual: _("Virtual office") };

function render(offices) {
  const rows = $("office-rows");
  rows.replaceChildren();
  for (const office of offices) {
    const row = element("tr");
    const name = element("td");
    const link = element("a", office.name, "kern-link");
    link.href = `/clerk/${lang}/admin/offices/${office.id}`;
    name.append(link);
    row.append(name, element("td", office.slug), element("td", KINDS[office.kind] || office.kind));
    rows.append(row);
  }
  if (!offices.length) {
    const row = element("tr");
    const cell = element("td", _("You administer no office."));
    cell.colSpan = 3;
    row.append(cell);
    rows.append(row);
  }
}

await guarded(async () => {
  if (!(await signedIn())) return;
  render(await staffFetch("/api/admin/offices"));
});

$("office-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  guarded(async () => {
    const office = await staffFetch("/api/admin/offices", { method: "POST", body: officeBody(form) });
    say(_("The office {name} was added.", { name: office.name }));
    location.assign(`/clerk/${lang}/admin/offices/${office.id}`);
  }, form);
});
