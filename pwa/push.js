/**
 * Reminders on this device (web push), offered on the pages a token opens: the
 * appointment's (`/{lang}/appointments/{token}`) and the case's (`/{lang}/case/{token}`).
 *
 * The block explains first and asks only when the user presses "Turn on reminders": then
 * the browser's permission prompt, the browser's push subscription for our server's key,
 * and the subscription sent to `/api/push/subscriptions` with this page's token and
 * language. The token and language are kept in IndexedDB, where the service worker
 * (pwa/sw.js) finds them: a push carries only a notice number, and the worker fetches the
 * text with the token. One browser subscription serves every case turned on here;
 * "Turn off" removes this case, and the browser subscription with the last one.
 *
 * Exported for the browser tests, without a global: `enrol()` (what "Turn on" does once
 * the browser has a subscription) and `storedTokens()`.
 */

import { _, lang } from "./i18n.js";
import { keepOffline } from "./offline.js";

const WORKER = "/sw.js";
const SCOPE = "/";
// The store pwa/sw.js reads: same name, version and key there.
const STORE_DB = "amtsweg-push";
const STORE = "tokens";
const STORE_VERSION = 1;
// A browser that cannot reach its push service may keep trying for minutes without an
// answer (Chromium without its push service does); the user hears about it after this.
const SUBSCRIBE_TIMEOUT_MS = 20_000;

const $ = (id) => document.getElementById(id);
// Both pages put the token third: /de/appointments/<token>, /de/case/<token>.
const pageToken = decodeURIComponent(window.location.pathname.split("/")[3] || "");

/** A failure the user can act on; its message is already in the page's language. */
class PushProblem extends Error {}

function openStore() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(STORE_DB, STORE_VERSION);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "token" });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function inStore(mode, work) {
  const db = await openStore();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** The tokens reminders are on for on this device: `[{token, lang, page}]`. */
export function storedTokens() {
  return inStore("readonly", (store) => store.getAll());
}

function rememberToken(token, language, page) {
  return inStore("readwrite", (store) => store.put({ token, lang: language, page }));
}

function forgetToken(token) {
  return inStore("readwrite", (store) => store.delete(token));
}

async function call(url, body) {
  let response;
  try {
    response = await fetch(`${url}?lang=${encodeURIComponent(lang)}`, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch {
    throw new PushProblem(_("Our server could not be reached. Please check your connection and try again."));
  }
  if (!response.ok) {
    // The server's problem+json is already in the page's language.
    const problem = await response.json().catch(() => ({}));
    throw new PushProblem(problem.detail || problem.title || _("Something went wrong. Please try again."));
  }
  return response;
}

/**
 * Send a browser subscription (`PushSubscription.toJSON()`) for `token`, and keep the token
 * with its language and page (where a notice without a text of its own leads).
 */
export async function enrol(subscription, token = pageToken, language = lang, page = window.location.pathname) {
  await call("/api/push/subscriptions", { token, subscription, language });
  await rememberToken(token, language, page);
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function sameBytes(buffer, bytes) {
  const other = new Uint8Array(buffer || new ArrayBuffer(0));
  return other.length === bytes.length && other.every((byte, index) => byte === bytes[index]);
}

async function workerRegistration() {
  try {
    await keepOffline(WORKER, SCOPE);
    return await navigator.serviceWorker.ready;
  } catch {
    throw new PushProblem(_("This browser could not set up reminders. Please try again later."));
  }
}

async function browserSubscription(registration, key) {
  const existing = await registration.pushManager.getSubscription();
  if (existing && sameBytes(existing.options.applicationServerKey, key)) return { subscription: existing };
  // Our server has a new key: the old subscription cannot carry its messages any more.
  if (existing) await existing.unsubscribe();
  let timer;
  const late = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new DOMException("no answer", "TimeoutError")), SUBSCRIBE_TIMEOUT_MS);
  });
  try {
    const subscribing = registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    const subscription = await Promise.race([subscribing, late]);
    return { subscription, renewed: Boolean(existing) };
  } catch (error) {
    if (error.name === "NotAllowedError") throw new PushProblem(blockedText());
    // Chromium says AbortError ("push service error") when its push service is out of reach.
    throw new PushProblem(_("The push service of your browser could not be reached. Please try again later."));
  } finally {
    clearTimeout(timer);
  }
}

async function turnOn() {
  // First, while the click still counts as the user's own action.
  const permission = await Notification.requestPermission();
  if (permission !== "granted") {
    return permission === "denied" ? "blocked" : "off";
  }
  const registration = await workerRegistration();
  const { public_key: publicKey } = await (await call("/api/push/key")).json();
  const key = fromBase64Url(publicKey);
  const { subscription, renewed } = await browserSubscription(registration, key);
  const json = subscription.toJSON();
  // A renewed subscription must reach the server for every case kept on this device.
  const others = renewed ? (await storedTokens()).filter((entry) => entry.token !== pageToken) : [];
  for (const entry of others) await enrol(json, entry.token, entry.lang, entry.page);
  await enrol(json);
  return "on";
}

async function turnOff() {
  const registration = await navigator.serviceWorker.getRegistration(SCOPE);
  const subscription = registration && (await registration.pushManager.getSubscription());
  const others = (await storedTokens()).filter((entry) => entry.token !== pageToken);
  if (subscription) {
    // Without a token left, the server forgets the whole subscription (token null).
    const token = others.length ? pageToken : null;
    await call("/api/push/unsubscribe", { endpoint: subscription.endpoint, token });
  }
  await forgetToken(pageToken);
  if (subscription && !others.length) await subscription.unsubscribe();
  return "off";
}

function supported() {
  return (
    window.isSecureContext &&
    "serviceWorker" in navigator &&
    "PushManager" in window &&
    "Notification" in window &&
    "indexedDB" in window
  );
}

function blockedText() {
  return _("Notifications for this site are blocked in your browser. To get reminders, allow them in the browser's settings for this site.");
}

function stateText(state) {
  if (state === "on") return _("Reminders are on for this device.");
  if (state === "blocked") return blockedText();
  if (state === "unsupported") {
    return _("This browser cannot receive reminders. On an iPhone or iPad, add this site to the Home Screen first and open it from there.");
  }
  return _("Reminders are off for this device.");
}

async function currentState() {
  if (!supported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  if (Notification.permission !== "granted") return "off";
  const registration = await navigator.serviceWorker.getRegistration(SCOPE);
  const subscription = registration && (await registration.pushManager.getSubscription());
  const stored = (await storedTokens()).some((entry) => entry.token === pageToken);
  return subscription && stored ? "on" : "off";
}

function show(state, { keepFocus = false } = {}) {
  const block = $("push-optin");
  block.dataset.state = state;
  block.hidden = false;
  $("push-state").textContent = stateText(state);
  $("push-on").hidden = state !== "off";
  $("push-off").hidden = state !== "on";
  // The pressed button may have just been hidden: keep the focus in the block.
  if (keepFocus) ($("push-on").hidden ? $("push-off") : $("push-on")).focus();
}

function showError(text) {
  const alert = document.createElement("div");
  alert.className = "kern-alert kern-alert--danger";
  const header = document.createElement("div");
  header.className = "kern-alert__header";
  const icon = document.createElement("span");
  icon.className = "kern-icon kern-icon--danger";
  icon.setAttribute("aria-hidden", "true");
  const message = document.createElement("p");
  message.className = "kern-title";
  message.textContent = text;
  header.append(icon, message);
  alert.append(header);
  $("push-error").replaceChildren(alert);
}

async function act(action) {
  const block = $("push-optin");
  const keepFocus = [$("push-on"), $("push-off")].includes(document.activeElement);
  let state;
  $("push-error").replaceChildren();
  block.setAttribute("aria-busy", "true");
  for (const button of [$("push-on"), $("push-off")]) button.disabled = true;
  try {
    state = await action();
  } catch (error) {
    showError(error instanceof PushProblem ? error.message : _("Something went wrong. Please try again."));
    state = await currentState().catch(() => "off");
  }
  block.removeAttribute("aria-busy");
  for (const button of [$("push-on"), $("push-off")]) button.disabled = false;
  show(state, { keepFocus });
}

if ($("push-optin") && pageToken) {
  $("push-on").addEventListener("click", () => act(turnOn));
  $("push-off").addEventListener("click", () => act(turnOff));
  show(await currentState().catch(() => "unsupported"));
}
