/**
 * Registers a front end's service worker and tells the user what it did: "ready to work
 * offline" after the first install, "update available" when a new version is waiting
 * (svgomg's pattern: the new worker waits until the user chooses to reload into it).
 */

import { _ } from "./i18n.js";

function showNotice(kind, text, action) {
  const region = document.getElementById("app-status");
  if (!region) return;
  const notice = document.createElement("div");
  notice.className = `kern-alert kern-alert--${kind === "update" ? "warning" : "success"} app-notice`;
  notice.dataset.notice = kind;
  const body = document.createElement("div");
  body.className = "kern-alert__header app-notice__body";
  const message = document.createElement("p");
  message.className = "kern-body";
  message.textContent = text;
  body.append(message);
  if (action) body.append(action);
  notice.append(body);
  region.replaceChildren(notice);
}

function offerUpdate(worker) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "kern-btn kern-btn--primary";
  const label = document.createElement("span");
  label.className = "kern-label";
  label.textContent = _("Reload now");
  button.append(label);
  button.addEventListener("click", () => {
    // Reload only once the new worker has taken over, so the page comes from its cache.
    navigator.serviceWorker.addEventListener("controllerchange", () => window.location.reload());
    worker.postMessage({ type: "skip-waiting" });
  });
  showNotice("update", _("A new version of this app is available."), button);
}

function whenState(worker, states, callback) {
  if (states.includes(worker.state)) {
    callback();
    return;
  }
  const listener = () => {
    if (!states.includes(worker.state)) return;
    worker.removeEventListener("statechange", listener);
    callback();
  };
  worker.addEventListener("statechange", listener);
}

// A worker installing beside an active one of the same registration is an update; without
// one it is the first install. (The page's controller may belong to another registration:
// the citizen app's worker, scope "/", also covers the kiosk's pages until theirs is active.)
const followed = new WeakSet();

function follow(worker, isUpdate) {
  if (!worker || followed.has(worker)) return;
  followed.add(worker);
  if (isUpdate) {
    whenState(worker, ["installed"], () => offerUpdate(worker));
  } else {
    whenState(worker, ["activated"], () =>
      showNotice("ready", _("This app is now ready to work offline.")),
    );
  }
}

/** Register `scriptUrl` for `scope` and keep the user informed about offline use. */
export async function keepOffline(scriptUrl, scope) {
  if (!("serviceWorker" in navigator)) return null;
  const registration = await navigator.serviceWorker.register(scriptUrl, { scope });
  if (registration.waiting && registration.active) offerUpdate(registration.waiting);
  follow(registration.installing, Boolean(registration.active));
  registration.addEventListener("updatefound", () => {
    follow(registration.installing, Boolean(registration.active));
  });
  return registration;
}
