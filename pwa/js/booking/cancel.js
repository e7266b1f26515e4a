/**
 * The cancel link of the mails: shows the booking and asks once. Only the button cancels
 * (a POST); opening the page does not, so a mail scanner following the link changes nothing.
 */

import { _, lang } from "../../i18n.js";
import { rememberLanguageChoice } from "../../language-switch.js";
import { api, serverNow } from "./api.js";
import { appointmentDetails } from "./appointment-view.js";
import { alert } from "./dom.js";
import { announce, report, setOffline } from "./feedback.js";

const page = document.getElementById("cancel-page");
const token = decodeURIComponent(window.location.pathname.split("/")[3] || "");
const path = `/api/appointments/${encodeURIComponent(token)}`;
const element = (id) => document.getElementById(id);
const heading = element("page-title");

function render(appointment) {
  element("booking-loading").hidden = true;
  element("cancel-details").replaceChildren(appointmentDetails(appointment));
  element("keep-link").href = `/${lang}/appointments/${encodeURIComponent(token)}`;
  element("book-again-link").href = `/${lang}/book/${appointment.service.slug}`;
  const cancellable =
    ["held", "confirmed"].includes(appointment.state) && Date.parse(appointment.starts_at) > serverNow();
  element("cancel-ask").hidden = !cancellable;
  if (appointment.state === "cancelled") {
    element("cancel-state").replaceChildren(alert("success", _("This appointment is cancelled.")));
    element("book-again").hidden = false;
  } else if (!cancellable) {
    element("cancel-state").replaceChildren(alert("warning", _("This appointment can no longer be cancelled.")));
  } else {
    element("cancel-state").replaceChildren();
  }
}

element("cancel-button").addEventListener("click", async (event) => {
  const control = event.currentTarget;
  control.disabled = true;
  try {
    const cancelled = await api(`${path}/cancel`, { method: "POST" });
    setOffline(false);
    render(cancelled);
    heading.textContent = heading.dataset.titleDone;
    document.title = `${heading.textContent} – ${document.title.split(" – ").slice(1).join(" – ")}`;
    heading.focus();
    announce(_("Your appointment is cancelled."));
  } catch (error) {
    report(page, error);
  } finally {
    control.disabled = false;
  }
});

rememberLanguageChoice();
try {
  render(await api(path));
} catch (error) {
  element("booking-loading").hidden = true;
  report(page, error);
}
