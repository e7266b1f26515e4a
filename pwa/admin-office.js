/**
 * One office to administer: its details (administrators), its desks and the services
 * each offers (services: administrators), its weekly hours and its closures.
 *
 * Desk, hours and closure changes that would strand booked appointments are previewed
 * first (admin-common.js); nothing changes until the person confirms the cancellation.
 */

import { _, lang, ngettext } from "./i18n.js";
import { staffFetch } from "./clerk-api.js";
import {
  $, element, fillOffice, guarded, localized, officeBody, say, saveWithPreview, signedIn, weekdayName,
} from "./admin-common.js";

const officeId = Number(location.pathname.split("/").filter(Boolean).at(-1));
const api = `/api/admin/offices/${officeId}`;
const CHANNELS = { in_person: _("Counter"), video: _("Video call") };

let staff = null;
let office = null;
let services = []; // {id, name}
let periodSeq = 0;

function serviceName(id) {
  const found = services.find((service) => service.id === id);
  return found ? found.name : `#${id}`;
}

function cancelled(change) {
  if (change.cancelled) {
    say(
      ngettext(
        "Saved. {n} appointment was cancelled and its citizen notified.",
        "Saved. {n} appointments were cancelled and their citizens notified.",
        change.cancelled,
      ),
    );
  } else {
    say(_("Saved."));
  }
}

function render(next) {
  office = next;
  document.title = `${office.name} – ${document.title.split(" – ").at(-1)}`;
  $("page-heading").textContent = office.name;
  $("crumb-office").textContent = office.name;
  fillOffice($("office-form"), office);
  $("office-fieldset").disabled = !staff.is_admin;
  renderDesks();
  renderHours();
  renderClosures();
}

function renderDesks() {
  const rows = $("desk-rows");
  rows.replaceChildren();
  for (const desk of office.desks) {
    const row = element("tr");
    const action = element("td");
    const edit = element("button", null, "kern-btn kern-btn--tertiary");
    edit.type = "button";
    edit.append(element("span", _("Edit desk {label}", { label: desk.label }), "kern-label"));
    edit.addEventListener("click", () => editDesk(desk));
    action.append(edit);
    row.append(
      element("td", desk.label),
      element("td", CHANNELS[desk.channel] || desk.channel),
      element("td", desk.active ? _("Yes") : _("No")),
      element("td", desk.services.map(serviceName).join(", ") || "–"),
      action,
    );
    rows.append(row);
  }
}

function renderServiceBoxes(checked) {
  const boxes = $("desk-service-boxes");
  boxes.replaceChildren();
  for (const service of services) {
    const wrap = element("div", null, "kern-form-check");
    const box = element("input", null, "kern-form-check__checkbox");
    box.type = "checkbox";
    box.name = "services";
    box.value = String(service.id);
    box.id = `desk-service-${service.id}`;
    box.checked = checked.includes(service.id);
    const label = element("label", service.name, "kern-label");
    label.htmlFor = box.id;
    wrap.append(box, label);
    boxes.append(wrap);
  }
}

function editDesk(desk, focus = true) {
  $("desk-id").value = String(desk.id);
  $("desk-label").value = desk.label;
  $("desk-channel").value = desk.channel;
  $("desk-active").checked = desk.active;
  renderServiceBoxes(desk.services);
  $("desk-form-heading").textContent = _("Change desk {label}", { label: desk.label });
  $("desk-submit-label").textContent = _("Save desk");
  $("desk-new").hidden = false;
  if (focus) $("desk-form-heading").focus();
}

function deskSaved(change, deskId) {
  render(change.office);
  cancelled(change);
  const saved = office.desks.find((desk) => String(desk.id) === deskId);
  if (saved) editDesk(saved, false);
}

function newDesk() {
  $("desk-form").reset();
  $("desk-id").value = "";
  renderServiceBoxes([]);
  $("desk-form-heading").textContent = _("Add a desk");
  $("desk-submit-label").textContent = _("Add desk");
  $("desk-new").hidden = true;
  $("desk-label").focus();
}

function periodRow(period) {
  periodSeq += 1;
  const n = periodSeq;
  const item = element("li", null, "admin-period");
  const day = element("select", null, "kern-form-input__select");
  day.id = `period-day-${n}`;
  day.name = "weekday";
  for (let weekday = 0; weekday < 7; weekday += 1) {
    const option = element("option", weekdayName(weekday));
    option.value = String(weekday);
    day.append(option);
  }
  day.value = String(period.weekday);
  const field = (id, text, control) => {
    const wrap = element("div", null, "kern-form-input");
    const label = element("label", text, "kern-label");
    label.htmlFor = id;
    wrap.append(label, control);
    return wrap;
  };
  const time = (name, value) => {
    const input = element("input", null, "kern-form-input__input");
    input.type = "time";
    input.name = name;
    input.id = `period-${name}-${n}`;
    input.value = value;
    input.required = true;
    return input;
  };
  const remove = element("button", null, "kern-btn kern-btn--tertiary");
  remove.type = "button";
  remove.append(element("span", _("Remove this period"), "kern-label"));
  remove.addEventListener("click", () => {
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    (next ? next.querySelector("select") : $("hours-add")).focus();
  });
  item.append(
    field(day.id, _("Weekday"), day),
    field(`period-opens-${n}`, _("Opens at"), time("opens", period.opens)),
    field(`period-closes-${n}`, _("Closes at"), time("closes", period.closes)),
    remove,
  );
  return item;
}

function renderHours() {
  $("hours-rows").replaceChildren(...office.hours.map(periodRow));
}

function week() {
  return [...$("hours-rows").children].map((item) => ({
    weekday: Number(item.querySelector("[name=weekday]").value),
    opens: item.querySelector("[name=opens]").value,
    closes: item.querySelector("[name=closes]").value,
  }));
}

function renderClosures() {
  const rows = $("closure-rows");
  rows.replaceChildren();
  for (const closure of office.closures) {
    const row = element("tr");
    const action = element("td");
    if (closure.city_wide) {
      action.textContent = _("City-wide");
    } else {
      const remove = element("button", null, "kern-btn kern-btn--tertiary");
      remove.type = "button";
      remove.append(element("span", _("Remove the closure from {day}", { day: closure.starts_on }), "kern-label"));
      remove.addEventListener("click", () =>
        guarded(async () => {
          render(await staffFetch(`${api}/closures/${closure.id}`, { method: "DELETE" }));
          say(_("The closure was removed."));
          $("closures-heading").focus();
        }),
      );
      action.append(remove);
    }
    row.append(
      element("td", closure.starts_on),
      element("td", closure.ends_on),
      element("td", localized(closure.reason)),
      action,
    );
    rows.append(row);
  }
}

async function loadServices() {
  const list = staff.is_admin
    ? await staffFetch("/api/admin/services")
    : await staffFetch("/api/services");
  services = list.map((service) => ({
    id: service.id,
    name: typeof service.name === "string" ? service.name : localized(service.name) || service.slug,
  }));
}

$("office-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  guarded(async () => {
    const body = { ...officeBody(form), languages: office.languages, accessibility: office.accessibility };
    render(await staffFetch(api, { method: "PUT", body }));
    say(_("Saved."));
  }, form);
});

$("desk-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const deskId = $("desk-id").value;
  const fields = { label: $("desk-label").value.trim(), channel: $("desk-channel").value, active: $("desk-active").checked };
  if (!deskId) {
    guarded(async () => {
      render(await staffFetch(`${api}/desks`, { method: "POST", body: fields }));
      say(_("The desk was added."));
      newDesk();
    }, form);
    return;
  }
  const chosen = [...form.querySelectorAll("[name=services]:checked")].map((box) => Number(box.value));
  const setServices = () =>
    saveWithPreview(
      (codes) => staffFetch(`${api}/desks/${deskId}/services`, { method: "PUT", body: { services: chosen, cancel_appointments: codes } }),
      (change) => deskSaved(change, deskId),
      form,
    );
  saveWithPreview(
    (codes) => staffFetch(`${api}/desks/${deskId}`, { method: "PUT", body: { ...fields, cancel_appointments: codes } }),
    async (change) => {
      deskSaved(change, deskId);
      if (staff.is_admin) await setServices();
    },
    form,
  );
});

$("desk-new").addEventListener("click", newDesk);

$("hours-add").addEventListener("click", () => {
  const item = periodRow({ weekday: 0, opens: "08:00", closes: "12:00" });
  $("hours-rows").append(item);
  item.querySelector("select").focus();
});

$("hours-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  saveWithPreview(
    (codes) => staffFetch(`${api}/hours`, { method: "PUT", body: { hours: week(), cancel_appointments: codes } }),
    (change) => {
      render(change.office);
      cancelled(change);
    },
    form,
  );
});

$("closure-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const reason = { de: String(data.get("reason_de") || "").trim() };
  const own = String(data.get("reason_own") || "").trim();
  if (own) reason[lang] = own;
  const body = { starts_on: data.get("starts_on"), ends_on: data.get("ends_on"), reason };
  saveWithPreview(
    (codes) => staffFetch(`${api}/closures`, { method: "POST", body: { ...body, cancel_appointments: codes } }),
    (change) => {
      render(change.office);
      cancelled(change);
      form.reset();
    },
    form,
  );
});

await guarded(async () => {
  staff = await signedIn();
  if (!staff) return;
  await loadServices();
  renderServiceBoxes([]);
  render(await staffFetch(api));
});
