// The applicant's screen: home, procedures, consent, queue numbers and help here; the filing
// steps in session.js. Everything an applicant gives lives in this page's memory only and
// goes at the end of the session or at the idle timeout (the page is reloaded from scratch).

import { api, listen } from "./api.js";
import { h, replace, money } from "./dom.js";
import { CONSENT_VERSION, TEXT } from "./i18n.js";
import { Keyboard } from "./keyboard.js";
import { renderSession, sessionInstruction } from "./session.js";
import { Speaker } from "./speech.js";

const main = document.getElementById("main");
const state = {
  settings: null,
  language: "vi",
  view: "home",
  procedures: null,
  query: "",
  field: "",
  procedure: null,
  session: null,
  rejected: null,
  draft: {},
  scan: null,
  ticket: null,
  devices: new Map(),
  busy: false,
  error: null,
  lastTouch: Date.now(),
  lastEventAt: Date.now(),
  spokenKey: "",
};
let sessionStream = null;
const speaker = new Speaker();
const keyboard = new Keyboard(document.getElementById("keyboard"), "vi");

const t = () => TEXT[state.language];
const loc = (text) => (text ? (text[state.language] ?? text.vi) : "");

// --- The bar: language, text size, contrast, speech (on every screen) -----------------------

function renderTools() {
  const root = document.documentElement;
  const toggle = (label, pressed, action, id) =>
    h("button", { type: "button", id, "aria-pressed": String(pressed), onclick: action }, label);
  replace(document.getElementById("tools"),
    h("button", { type: "button", id: "language", lang: state.language === "vi" ? "en" : "vi", onclick: switchLanguage }, t().switchTo),
    toggle(t().large, root.classList.contains("large"), () => { root.classList.toggle("large"); renderTools(); }, "large"),
    toggle(t().contrast, root.classList.contains("contrast"), () => { root.classList.toggle("contrast"); renderTools(); }, "contrast"),
    toggle(t().speech, speaker.enabled, () => { speaker.enabled = !speaker.enabled; if (!speaker.enabled) speaker.stop(); state.spokenKey = ""; renderTools(); speak(); }, "speech"),
  );
  document.getElementById("office").textContent = state.settings?.officeName ?? "";
  document.documentElement.lang = state.language;
}

async function switchLanguage() {
  state.language = state.language === "vi" ? "en" : "vi";
  keyboard.language = state.language;
  keyboard.render();
  // The session keeps every answer; only its language changes.
  if (state.session) await send({ type: "set_language", language: state.language }, { keepDraft: true });
  render();
}

// --- Devices ---------------------------------------------------------------------------------

function usable(kind) {
  const device = [...state.devices.values()].find((d) => d.kind === kind);
  if (!device) return true;
  if (!["online", "busy"].includes(device.state)) return false;
  if (kind === "printer" && ["paper_out", "paper_jammed"].includes(device.media)) return false;
  return true;
}

function renderDevices() {
  // Only what the applicant is about to need; the technician's details stay out.
  const needs = { home: [], identify: ["card_reader"], documents: ["scanner"], submit: ["printer"], receipt: ["printer"] };
  const step = state.session?.step ?? state.view;
  const lines = (needs[step] ?? []).filter((kind) => !usable(kind)).map((kind) => {
    if (kind === "card_reader") return t().readerDown;
    if (kind === "scanner") return t().scannerDown;
    return t().printerDown;
  });
  replace(document.getElementById("devices"), lines.map((line) => h("p", {}, line)));
}

async function watchDevices() {
  try {
    for (const device of await api.devices()) state.devices.set(device.id, device);
  } catch {
    /* the stream below brings them */
  }
  listen("devices", {
    device: (device) => {
      state.devices.set(device.id, device);
      renderDevices();
      if (state.session && ["identify", "documents", "submit", "receipt"].includes(state.session.step) && !keyboard.target) render();
    },
  });
}

// --- Sessions --------------------------------------------------------------------------------

async function startSession() {
  state.busy = true;
  render();
  try {
    const session = await api.start(state.language, CONSENT_VERSION);
    state.session = session;
    state.draft = {};
    sessionStream = listen(session.id, {
      session: () => refresh(),
      scan_progress: (progress) => {
        state.scan = progress;
        const bar = document.querySelector(".progress span");
        if (bar) bar.style.width = `${Math.round(progress.fraction * 100)}%`;
      },
      dossier_delivered: () => refresh(),
    });
    await send({ type: "choose_procedure", code: state.procedure.code });
  } catch (error) {
    state.session = null;
    showError(error);
  } finally {
    state.busy = false;
    state.view = state.session ? "session" : state.view;
    render();
  }
}

async function refresh() {
  if (!state.session) return;
  try {
    state.session = await api.session(state.session.id);
    if (!keyboard.target) render();
  } catch (error) {
    showError(error);
  }
}

/** Sends an applicant event; the answer is the new screen (or the refusal, with its reasons). */
async function send(event, { keepDraft = false } = {}) {
  if (!state.session) return null;
  state.lastEventAt = Date.now();
  try {
    const { screen, rejected } = await api.event(state.session.id, event);
    const stepChanged = screen.step !== state.session.step || screen.form?.pageIndex !== state.session.form?.pageIndex
      || screen.document?.index !== state.session.document?.index;
    state.session = screen;
    state.rejected = rejected;
    state.error = null;
    if (stepChanged && !keepDraft) state.draft = {};
    if (screen.status === "finished" || screen.status === "abandoned") {
      if (screen.status === "finished") state.view = "thanks";
    }
    render();
    return { screen, rejected };
  } catch (error) {
    showError(error);
    await refresh();
    return null;
  }
}

function showError(error) {
  const message = error?.body?.message ? loc(error.body.message) : error?.status === 0 ? t().offline : t().error;
  state.error = message;
  render();
}

/** Ends everything: the session (if any) is cancelled, the page reloads from nothing, so no
 *  trace of the applicant stays in the DOM, the page's memory, its history or its storage. */
export async function wipe() {
  keyboard.close();
  speaker.stop();
  const session = state.session;
  state.session = null;
  state.draft = {};
  replace(main);
  if (sessionStream) sessionStream.close();
  if (session && !["finished", "abandoned"].includes(session.status)) {
    try {
      await api.event(session.id, { type: "cancel" });
    } catch {
      /* kioskd ends it at its own idle timeout */
    }
  }
  try {
    sessionStorage.clear();
    localStorage.clear();
  } catch {
    /* nothing was kept there */
  }
  history.replaceState(null, "", "/");
  location.replace("/");
}

// --- Idle: warn, then end (WCAG 2.2 SC 2.2.1) -------------------------------------------------

function idleTick() {
  const timeout = state.settings?.idleTimeoutSeconds ?? 180;
  const idle = (Date.now() - state.lastTouch) / 1000;
  const dialog = document.getElementById("idle");
  const warnFor = Math.max(30, Math.min(60, timeout / 3));
  const away = state.view !== "home" || state.session;
  if (!away) {
    dialog.hidden = true;
    return;
  }
  // An applicant still touching the screen keeps the session alive at kioskd too.
  if (state.session && idle < 20 && Date.now() - state.lastEventAt > 30_000) send({ type: "still_here" }, { keepDraft: true });
  if (idle >= timeout) {
    wipe();
    return;
  }
  if (idle >= timeout - warnFor) {
    const left = Math.ceil(timeout - idle);
    if (dialog.hidden) {
      replace(dialog, h("div", { class: "dialog" },
        h("h1", { id: "idle-title" }, t().idleTitle),
        h("p", { id: "idle-text" }, t().idleText(left)),
        h("p", { class: "count", "aria-hidden": "true" }, String(left)),
        h("button", { type: "button", class: "primary", id: "more-time", onclick: moreTime }, t().moreTime)));
      dialog.hidden = false;
      speaker.say(t().idleSay, state.language);
      document.getElementById("more-time").focus();
    } else {
      dialog.querySelector("#idle-text").textContent = t().idleText(left);
      dialog.querySelector(".count").textContent = String(left);
    }
  } else {
    dialog.hidden = true;
  }
}

function moreTime() {
  state.lastTouch = Date.now();
  document.getElementById("idle").hidden = true;
  if (state.session) send({ type: "still_here" }, { keepDraft: true });
}

// --- Screens outside a session -----------------------------------------------------------------

function tile(label, sub, action, attributes = {}) {
  return h("button", { type: "button", class: "tile", onclick: action, ...attributes }, label, h("small", {}, sub));
}

function homeView() {
  const toProcedures = () => { state.view = "procedures"; loadProcedures(); };
  return [
    h("h1", {}, t().homeTitle),
    h("div", { class: "tiles" },
      tile(t().file, t().fileSub, toProcedures, { class: "tile primary", id: "tile-file" }),
      tile(t().lookup, t().lookupSub, toProcedures, { id: "tile-lookup" }),
      tile(t().queue, t().queueSub, () => { state.view = "queue"; loadProcedures(); }, { id: "tile-queue" }),
      tile(t().help, t().helpSub, () => { state.view = "help"; render(); }, { id: "tile-help" }),
      tile(t().track, t().soon, null, { disabled: true }),
      tile(t().pay, t().soon, null, { disabled: true }),
      tile(t().rate, t().soon, null, { disabled: true }),
    ),
  ];
}

async function loadProcedures() {
  render();
  try {
    state.procedures = await api.procedures(state.query, state.field);
  } catch (error) {
    showError(error);
  }
  render();
}

function proceduresView() {
  const list = state.procedures;
  const searchInput = h("input", { type: "text", id: "search", class: "input", readonly: true, inputmode: "none", value: state.query, "aria-label": t().search, placeholder: t().search });
  searchInput.addEventListener("click", () => keyboard.open(searchInput, {
    kind: "text", maxLength: 60,
    onchange: (value) => { state.query = value; },
    ondone: () => loadProcedures(),
  }));
  const fields = list?.fields ?? [];
  return [
    h("h1", {}, t().chooseTitle),
    h("div", { class: "field" }, h("label", { for: "search" }, t().search), searchInput),
    h("div", { class: "chips", role: "group", "aria-label": t().allFields },
      h("button", { type: "button", "aria-pressed": String(state.field === ""), onclick: () => { state.field = ""; loadProcedures(); } }, t().allFields),
      fields.map((f) => h("button", { type: "button", "aria-pressed": String(state.field === f.id), onclick: () => { state.field = f.id; loadProcedures(); } }, loc(f.name)))),
    list && list.procedures.length === 0 ? h("p", { class: "notice" }, t().noneFound) : null,
    h("ul", { class: "list" }, (list?.procedures ?? []).map((p) => h("li", {},
      h("button", { type: "button", class: "tile", dataset: { code: p.code }, onclick: () => openProcedure(p.code) },
        loc(p.name),
        h("small", {}, `${t().fee}: ${p.totalFeeVND ? money(p.totalFeeVND, state.language) : t().free} · ${t().timeLimit}: ${p.timeLimitWorkingDays ? t().workingDays(p.timeLimitWorkingDays) : t().withinDay}`))))),
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => { state.view = "home"; state.query = ""; render(); } }, t().back)),
  ];
}

async function openProcedure(code) {
  try {
    state.procedure = await api.procedure(code);
    state.view = "procedure";
  } catch (error) {
    showError(error);
  }
  render();
}

function procedureView() {
  const p = state.procedure;
  return [
    h("h1", {}, loc(p.name)),
    h("dl", { class: "facts" },
      h("dt", {}, t().agency), h("dd", {}, loc(p.agency)),
      h("dt", {}, t().fee), h("dd", {}, p.fees.length === 0 ? t().free : p.fees.map((fee) => h("div", {}, `${loc(fee.name)}: ${fee.unit ? loc(fee.unit) : money(fee.amountVND, state.language)}`))),
      h("dt", {}, t().timeLimit), h("dd", {}, p.timeLimitWorkingDays ? t().workingDays(p.timeLimitWorkingDays) : t().withinDay)),
    h("h2", {}, t().bring),
    h("ul", {}, p.documents.map((d) => h("li", {}, loc(d.name), d.required === false ? ` ${t().optional}` : ""))),
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => { state.view = "procedures"; render(); } }, t().back),
      h("button", { type: "button", class: "primary", id: "start", onclick: () => { state.view = "consent"; render(); } }, t().start)),
  ];
}

function consentView() {
  return [
    h("h1", {}, t().consentTitle),
    h("div", { class: "panel" }, t().consentBody.map((line) => h("p", {}, line))),
    h("p", { class: "muted" }, `${state.language === "vi" ? "Phiên bản" : "Version"} ${CONSENT_VERSION}`),
    h("div", { class: "actions" },
      h("button", { type: "button", id: "disagree", onclick: () => { state.view = "home"; render(); } }, t().disagree),
      h("button", { type: "button", class: "primary", id: "agree", disabled: state.busy, onclick: startSession }, t().agree)),
  ];
}

function queueView() {
  if (state.ticket) {
    return [
      h("h1", {}, t().ticket),
      h("p", { class: "reference", id: "ticket-number" }, state.ticket.displayNumber),
      h("p", {}, t().waiting(state.ticket.peopleAhead)),
      state.ticket.printNotice ? h("p", { class: "notice" }, loc(state.ticket.printNotice.message)) : null,
      h("div", { class: "actions" }, h("button", { type: "button", class: "primary", onclick: () => { state.ticket = null; state.view = "home"; render(); } }, t().home)),
    ];
  }
  const fields = state.procedures?.fields ?? [];
  const take = (field, priority) => async () => {
    try {
      state.ticket = await api.ticket(field, priority);
    } catch (error) {
      showError(error);
    }
    render();
  };
  return [
    h("h1", {}, t().queueTitle),
    fields.map((f) => h("div", { class: "panel" },
      h("h2", {}, loc(f.name)),
      h("div", { class: "tiles" },
        tile(t().queueNormal, "", take(f.id, "normal")),
        tile(t().queuePriority, t().queuePrioritySub, take(f.id, "elderly"))))),
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => { state.view = "home"; render(); } }, t().back)),
  ];
}

function helpView() {
  return [
    h("h1", {}, t().helpTitle),
    h("ul", {}, t().helpBody.map((line) => h("li", {}, line))),
    h("div", { class: "actions" }, h("button", { type: "button", onclick: () => { state.view = "home"; render(); } }, t().back)),
  ];
}

function thanksView() {
  setTimeout(() => { if (state.view === "thanks") wipe(); }, 10_000);
  return [
    h("h1", {}, t().thanks),
    h("div", { class: "actions" }, h("button", { type: "button", class: "primary", id: "home", onclick: wipe }, t().home)),
  ];
}

// --- Rendering ---------------------------------------------------------------------------------

const instructions = {
  home: () => t().homeSay,
  procedures: () => t().chooseSay,
  procedure: () => loc(state.procedure?.name),
  consent: () => t().consentSay,
  queue: () => t().queueSay,
  help: () => t().helpSay,
  thanks: () => t().thanksSay,
};

function render() {
  renderTools();
  renderDevices();
  const views = { home: homeView, procedures: proceduresView, procedure: procedureView, consent: consentView, queue: queueView, help: helpView, thanks: thanksView };
  let content;
  if (state.view === "session" && state.session) {
    content = renderSession({ state, t: t(), loc, send, keyboard, usable, wipe, render });
  } else {
    content = (views[state.view] ?? homeView)();
  }
  const error = state.error ? h("p", { class: "notice", role: "alert", id: "error" }, state.error) : null;
  replace(main, error, content);
  // Where the applicant is, for the tests and the gallery (no personal data).
  const s = state.view === "session" ? state.session : null;
  document.body.dataset.step = s ? s.step : state.view;
  document.body.dataset.screen = s ? `${s.step}-${s.form?.pageIndex ?? s.document?.index ?? 0}-${s.pending ? "busy" : "idle"}` : state.view;
  speak();
}

function speak() {
  const text = state.view === "session" && state.session ? sessionInstruction(state.session, t(), loc) : instructions[state.view]?.();
  const key = `${state.language}|${state.view}|${state.session?.step}|${state.session?.form?.pageIndex}|${state.session?.document?.index}`;
  if (key === state.spokenKey) return;
  state.spokenKey = key;
  speaker.say(text, state.language);
}

async function boot() {
  try {
    state.settings = await api.screen();
    state.language = state.settings.defaultLanguage ?? "vi";
  } catch {
    state.settings = { idleTimeoutSeconds: 180, officeName: "" };
  }
  keyboard.language = state.language;
  document.addEventListener("pointerdown", () => { state.lastTouch = Date.now(); }, { capture: true });
  setInterval(idleTick, 1000);
  watchDevices();
  render();
  document.body.dataset.ready = "true";
}

boot();
