/**
 * The call display: a wall screen with the latest calls as number → desk, the newest
 * highlighted, a gong and a spoken announcement, and the time in Berlin.
 *
 * Live over `/ws/display/{office}` (see app/live/service.py): the server first sends
 * what this screen missed (all it keeps on a first connect), then a `sync`, then live
 * events. After a dropped connection the screen says so, reconnects with back-off and
 * sends the epoch and number of the last event it holds, so it gets exactly the rest.
 * The gong is synthesised with WebAudio; speech uses only the device's own voices
 * (`localService`), never a network voice.
 */

import { _, formatTime, lang } from "/static/pwa/i18n.js";

const SHOWN = 8; // calls on screen, the newest first
const SILENCE_MS = 65_000; // the server pings every 20 s: three missed means a dead line
const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000, 15_000];
const CALLS = new Set(["called", "recalled"]);
const INVALID_KEY = 4403;

const params = new URLSearchParams(location.search);
const office = params.get("office") || "";
const key = params.get("key") || "";
const voices = (params.get("speak") || [...new Set(["de", lang])].join(","))
  .split(",")
  .filter(Boolean);

const list = document.querySelector("[data-calls]");
const empty = document.querySelector("[data-empty]");
const lost = document.querySelector("[data-connection-lost]");
const invalid = document.querySelector("[data-link-invalid]");
const announcement = document.querySelector("[data-announcement]");

let calls = []; // {ticket, desk, seq}, the newest first
let epoch = "";
let seq = 0;
let attempt = 0;

/* --- the screen --- */

function setConnection(state) {
  document.body.dataset.connection = state;
  lost.hidden = state !== "lost";
  invalid.hidden = state !== "invalid";
}

function render() {
  empty.hidden = calls.length > 0;
  list.replaceChildren(
    ...calls.slice(0, SHOWN).map((call, index) => {
      const item = document.createElement("li");
      item.className = index === 0 ? "display-call display-call--newest" : "display-call";
      item.dataset.ticket = call.ticket;
      const ticket = document.createElement("bdi");
      ticket.className = "display-call__ticket";
      ticket.textContent = call.ticket;
      const arrow = document.createElement("span");
      arrow.className = "display-call__arrow";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = "→";
      const desk = document.createElement("span");
      desk.className = "display-call__desk";
      desk.textContent = call.desk ?? ""; // the desk's own label, e.g. "Schalter 3"
      item.append(ticket, arrow, desk);
      return item;
    }),
  );
}

function apply(event) {
  if (!CALLS.has(event.type)) return false;
  calls = [{ ticket: event.ticket, desk: event.desk, seq: event.seq }, ...calls.filter((c) => c.ticket !== event.ticket)];
  return true;
}

/* --- gong and speech --- */

let audio = null;

function gong() {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") audio.resume();
    const start = audio.currentTime + 0.05;
    for (const [frequency, offset] of [[660, 0], [523.25, 0.55]]) {
      const tone = audio.createOscillator();
      const level = audio.createGain();
      tone.frequency.value = frequency;
      level.gain.setValueAtTime(0.0001, start + offset);
      level.gain.exponentialRampToValueAtTime(0.4, start + offset + 0.02);
      level.gain.exponentialRampToValueAtTime(0.0001, start + offset + 1.4);
      tone.connect(level).connect(audio.destination);
      tone.start(start + offset);
      tone.stop(start + offset + 1.5);
    }
  } catch {
    // No audio device: the screen and the live region still announce the call.
  }
}

// A screen without autoplay permission gets its sound on the first touch or key.
for (const type of ["pointerdown", "keydown"]) {
  addEventListener(type, () => audio?.resume(), { once: true });
}

const catalogs = new Map();

async function translatorFor(code) {
  if (code === lang) return _;
  if (!catalogs.has(code)) {
    catalogs.set(
      code,
      fetch(`/api/i18n/${encodeURIComponent(code)}`)
        .then((response) => (response.ok ? response.json() : { messages: {} }))
        .catch(() => ({ messages: {} })),
    );
  }
  const { messages } = await catalogs.get(code);
  return (msgid, values) => {
    const found = messages[msgid];
    const text = (Array.isArray(found) ? found[0] : found) || msgid;
    return text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
  };
}

// Written with a `_` of the language spoken, so the extractor finds the message.
function callText(_, call) {
  return _("Number {ticket}, please go to {desk}.", {
    ticket: call.ticket.replace(/-0*/, " "),
    desk: call.desk ?? "",
  });
}

async function announce(call) {
  announcement.textContent = callText(_, call);
  gong();
  if (!("speechSynthesis" in window)) return;
  const local = speechSynthesis.getVoices().filter((voice) => voice.localService);
  for (const code of voices) {
    const voice = local.find((candidate) => candidate.lang.toLowerCase().startsWith(code));
    if (!voice) continue; // no voice of the device's own for it: never a network voice
    const utterance = new SpeechSynthesisUtterance(callText(await translatorFor(code), call));
    utterance.voice = voice;
    utterance.lang = voice.lang;
    speechSynthesis.speak(utterance);
  }
}

/* --- the connection --- */

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const query = new URLSearchParams({ key, epoch, after: String(seq) });
  const socket = new WebSocket(`${scheme}://${location.host}/ws/display/${encodeURIComponent(office)}?${query}`);
  let caughtUp = [];
  let synced = false;
  let silence = 0;

  const listen = () => {
    clearTimeout(silence);
    silence = setTimeout(() => socket.close(), SILENCE_MS);
  };
  socket.addEventListener("open", listen);
  socket.addEventListener("message", (message) => {
    listen();
    const event = JSON.parse(message.data);
    if (event.type === "ping") return;
    if (event.type === "sync") {
      if (event.reset && caughtUp.length) calls = [];
      caughtUp.forEach(apply);
      caughtUp = [];
      epoch = event.epoch;
      seq = event.seq;
      synced = true;
      attempt = 0;
      setConnection("live");
      render();
      return;
    }
    if (event.seq) {
      epoch = event.epoch;
      seq = event.seq;
    }
    if (!synced) {
      caughtUp.push(event);
    } else if (apply(event)) {
      render();
      announce(calls[0]);
    }
  });
  socket.addEventListener("close", (closed) => {
    clearTimeout(silence);
    if (closed.code === INVALID_KEY) {
      setConnection("invalid");
      return;
    }
    setConnection("lost");
    const delay = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] * (0.75 + Math.random() / 2);
    attempt += 1;
    setTimeout(connect, delay);
  });
}

/* --- the clock --- */

const clock = document.querySelector("[data-clock]");
function tick() {
  const now = new Date();
  clock.dateTime = now.toISOString();
  clock.textContent = formatTime(now);
}
if (clock) {
  tick();
  setInterval(tick, 15_000);
}

if (office && key) {
  setConnection("connecting");
  connect();
} else {
  setConnection("invalid");
}
