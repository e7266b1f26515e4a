/**
 * One service in every language (administrators only): names, descriptions, documents
 * to bring (one per line), why a visit in person is required, who can use the online
 * service; its fee, duration and the ways it is done, which drive the citizens' triage.
 */

import { _ } from "./i18n.js";
import { staffFetch } from "./clerk-api.js";
import { $, element, guarded, localized, say, signedIn } from "./admin-common.js";

const serviceId = Number(location.pathname.split("/").filter(Boolean).at(-1));
const api = `/api/admin/services/${serviceId}`;
const TEXTS = [
  ["name", _("Name"), "input"],
  ["description", _("Description"), "textarea"],
  ["documents", _("Documents to bring (one per line)"), "textarea"],
  ["in_person_reason", _("Why a visit in person is required"), "textarea"],
  ["online_note", _("Who can use the online service"), "textarea"],
];

let languages = [];

function languageFields(language) {
  const set = element("fieldset", null, "kern-fieldset admin-fieldset admin-language");
  set.append(element("legend", language.native_name, "kern-label"));
  for (const [field, label, tag] of TEXTS) {
    const id = `text-${field}-${language.code}`;
    const wrap = element("div", null, "kern-form-input");
    const labelNode = element("label", `${label} (${language.native_name})`, "kern-label");
    labelNode.htmlFor = id;
    const input = element(tag, null, "kern-form-input__input");
    input.id = id;
    input.name = `${field}.${language.code}`;
    input.lang = language.code;
    input.dir = language.dir;
    if (language.code === "de") input.dataset.field = field;
    if (tag === "textarea") input.rows = 3;
    wrap.append(labelNode, input);
    set.append(wrap);
  }
  return set;
}

function fill(service) {
  const form = $("service-form");
  $("page-heading").textContent = localized(service.name) || service.slug;
  $("crumb-service").textContent = $("page-heading").textContent;
  for (const name of ["slug", "ticket_letter", "position", "duration_minutes", "fee_cents"]) {
    form.elements[name].value = service[name] ?? "";
  }
  form.elements.leika.value = service.leika || "";
  form.elements.online_url.value = service.online_url || "";
  for (const name of ["allows_in_person", "allows_video", "active"]) form.elements[name].checked = service[name];
  for (const language of languages) {
    for (const [field] of TEXTS) {
      const value = (service[field] || {})[language.code];
      const input = form.elements[`${field}.${language.code}`];
      input.value = Array.isArray(value) ? value.join("\n") : value || "";
    }
  }
}

function texts(form, field) {
  const found = {};
  for (const language of languages) {
    const raw = form.elements[`${field}.${language.code}`].value.trim();
    if (!raw) continue;
    found[language.code] = field === "documents" ? raw.split("\n").map((line) => line.trim()).filter(Boolean) : raw;
  }
  return found;
}

function body(form) {
  const optional = (value) => (value.trim() ? value.trim() : null);
  const reason = texts(form, "in_person_reason");
  const note = texts(form, "online_note");
  return {
    slug: form.elements.slug.value.trim(),
    ticket_letter: form.elements.ticket_letter.value.trim().toUpperCase(),
    leika: optional(form.elements.leika.value),
    position: Number(form.elements.position.value || 0),
    duration_minutes: Number(form.elements.duration_minutes.value),
    fee_cents: Number(form.elements.fee_cents.value),
    allows_in_person: form.elements.allows_in_person.checked,
    allows_video: form.elements.allows_video.checked,
    active: form.elements.active.checked,
    online_url: optional(form.elements.online_url.value),
    name: texts(form, "name"),
    description: texts(form, "description"),
    documents: texts(form, "documents"),
    in_person_reason: Object.keys(reason).length ? reason : null,
    online_note: Object.keys(note).length ? note : null,
  };
}

$("service-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  guarded(async () => {
    fill(await staffFetch(api, { method: "PUT", body: body(form) }));
    say(_("Saved."));
  }, form);
});

await guarded(async () => {
  if (!(await signedIn())) return;
  languages = await staffFetch("/api/languages");
  $("language-texts").replaceChildren(...languages.map(languageFields));
  fill(await staffFetch(api));
});
