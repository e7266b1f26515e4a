/**
 * Every service (administrators only), and a form to add one; the new service's own
 * page takes the texts in other languages, documents, fee and triage routing.
 */

import { _, lang } from "./i18n.js";
import { staffFetch } from "./clerk-api.js";
import { $, element, guarded, localized, signedIn } from "./admin-common.js";

const money = new Intl.NumberFormat(lang, { style: "currency", currency: "EUR", numberingSystem: "latn" });

function render(services) {
  const rows = $("service-rows");
  rows.replaceChildren();
  for (const service of services) {
    const row = element("tr");
    const name = element("td");
    const link = element("a", localized(service.name) || service.slug, "kern-link");
    link.href = `/clerk/${lang}/admin/services/${service.id}`;
    name.append(link);
    row.append(
      name,
      element("td", service.slug),
      element("td", _("{minutes} min", { minutes: service.duration_minutes })),
      element("td", service.fee_cents ? money.format(service.fee_cents / 100) : _("Free of charge")),
      element("td", service.active ? _("Yes") : _("No")),
    );
    rows.append(row);
  }
}

await guarded(async () => {
  if (!(await signedIn())) return;
  render(await staffFetch("/api/admin/services"));
});

$("service-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const body = {
    slug: String(data.get("slug") || "").trim(),
    ticket_letter: String(data.get("ticket_letter") || "").trim().toUpperCase(),
    name: { de: String(data.get("name") || "").trim() },
    duration_minutes: Number(data.get("duration_minutes")),
  };
  guarded(async () => {
    const service = await staffFetch("/api/admin/services", { method: "POST", body });
    location.assign(`/clerk/${lang}/admin/services/${service.id}`);
  }, form);
});
