// The filing steps as touch screens, rendered from kioskd's session screen (GET
// /api/v1/sessions/{id}): the step, its fields, its documents, what it accepts. The flow's
// rules stay in kioskd; this file only shows them and sends the applicant's taps.

import { api } from "./api.js";
import { civilDate, h, money, svg } from "./dom.js";
import { PROVINCES } from "./provinces.js";

/** What the screen's voice says for the session's current step. */
export function sessionInstruction(s, t, loc) {
  switch (s.step) {
    case "identify": return s.identity ? t.confirmIdentity : t.identifySay;
    case "form": return `${loc(s.form?.title)}. ${t.formSay}`;
    case "documents": return `${loc(s.document?.document.name)}. ${t.documentsSay}`;
    case "review": return t.reviewSay;
    case "fee": return t.feeSay;
    case "delivery": return t.deliverySay;
    case "submit": return t.submitSay;
    case "receipt": return t.receiptSay;
    case "rating": return t.ratingSay;
    default: return t.thanksSay;
  }
}

export function renderSession(ctx) {
  const { state, t, loc } = ctx;
  const s = state.session;
  const accepts = new Set(s.accepts.map((a) => a.type));
  const progress = h("div", { class: "steps", "aria-hidden": "true" },
    s.steps.map((step) => h("span", { class: s.steps.indexOf(step) <= s.steps.indexOf(s.step) ? "done" : "" })));
  const notice = s.notice ? h("p", { class: "notice", role: "alert", id: "notice" }, loc(s.notice.message)) : null;
  const views = { identify, form, documents, review, fee, delivery, submit, receipt, rating };
  const view = views[s.step];
  const body = view ? view(ctx, s, accepts) : [h("h1", {}, t.thanks)];
  const footer = [];
  if (accepts.has("back")) footer.push(h("button", { type: "button", id: "back", onclick: () => ctx.send({ type: "back" }) }, t.back));
  if (s.status === "active" && accepts.has("cancel")) footer.push(h("button", { type: "button", class: "danger", id: "cancel", onclick: ctx.wipe }, t.cancel));
  return [
    progress,
    s.procedure ? h("p", { class: "muted" }, loc(s.procedure.name)) : null,
    notice,
    body,
    footer.length ? h("div", { class: "actions" }, footer) : null,
  ];
}

function nextButton(ctx, label, action, attributes = {}) {
  return h("button", { type: "button", class: "primary", id: "next", onclick: action ?? (() => ctx.send({ type: "next" })), ...attributes }, label ?? ctx.t.next);
}

/** The message for field `id`: from the session's errors or the last refused event. */
function fieldError(ctx, id) {
  const { state, loc } = ctx;
  return loc(state.session.errors?.[id] ?? state.rejected?.[id]);
}

// --- A text field typed on the on-screen keyboard --------------------------------------------

/** An ID number as those queueing behind may see it: the last four digits. */
const masked = (value) => (value && value.length > 4 ? "•".repeat(value.length - 4) + value.slice(-4) : value ?? "");

function keyed(ctx, { id, label, kind, value, maxLength, error, help, required, onchange }) {
  // An ID number is shown masked except while it is being typed.
  let current = value ?? "";
  const shown = () => (kind === "id" ? masked(current) : current);
  const input = h("input", {
    type: "text", id: `field-${id}`, class: `input${error ? " invalid" : ""}`, readonly: true, inputmode: "none",
    value: shown(), autocomplete: "off", "aria-invalid": error ? "true" : undefined,
    "aria-describedby": error ? `error-${id}` : help ? `help-${id}` : undefined,
  });
  input.addEventListener("click", () => {
    input.value = current;
    ctx.keyboard.open(input, {
      kind, maxLength,
      onchange: (v) => { current = v; onchange(v); },
      onleave: () => { input.value = shown(); },
    });
  });
  return h("div", { class: "field" },
    h("label", { for: `field-${id}` }, label, required ? h("span", { class: "muted" }, ` (${ctx.t.required})`) : null),
    help ? h("p", { class: "help", id: `help-${id}` }, help) : null,
    input,
    error ? h("p", { class: "error", id: `error-${id}`, role: "alert" }, error) : null);
}

function choices(ctx, { id, label, options, value, error, onchoose }) {
  return h("div", { class: "field", role: "group", "aria-labelledby": `label-${id}` },
    h("p", { class: "label", id: `label-${id}` }, label),
    h("div", { class: "chips" }, options.map((o) =>
      h("button", { type: "button", "aria-pressed": String(value === o.value), dataset: { value: o.value }, onclick: () => onchoose(o.value) }, o.label))),
    error ? h("p", { class: "error", role: "alert" }, error) : null);
}

/** The province as a list to touch (the 34 of them), the chosen one pressed. */
function provinceChoice(ctx, id, address) {
  return choices(ctx, { id, label: ctx.t.province, value: address.province, options: PROVINCES.map((p) => ({ value: p, label: p })),
    onchoose: (v) => { address.province = v; ctx.render(); } });
}

// --- Identification ----------------------------------------------------------------------------

function identify(ctx, s, accepts) {
  const { t, loc, state } = ctx;
  if (s.pending?.type === "read_id_card") {
    return [
      h("h1", {}, t.card),
      h("p", { class: "panel", role: "status" }, t.reading),
      h("div", { class: "actions" }, h("button", { type: "button", id: "stop", onclick: () => ctx.send({ type: "cancel_device_action" }) }, t.stop)),
    ];
  }
  const expiryNeeded = s.notice?.code === "card.expiry_needed";
  const draft = state.draft;
  if (expiryNeeded) {
    return [
      h("h1", {}, t.card),
      keyed(ctx, { id: "expiry", label: t.expiry, kind: "date", value: draft.expiry, maxLength: 10, error: fieldError(ctx, "dateOfExpiry"), onchange: (v) => { draft.expiry = v; } }),
      h("div", { class: "actions" }, nextButton(ctx, t.next, async () => {
        const answer = await ctx.send({ type: "card_expiry", dateOfExpiry: draft.expiry ?? "" }, { keepDraft: true });
        if (answer && !answer.rejected) ctx.send({ type: "read_id_card" });
      })),
    ];
  }
  if (s.identity) {
    const i = s.identity;
    return [
      h("h1", {}, t.confirmIdentity),
      h("dl", { class: "facts", id: "identity" },
        h("dt", {}, t.fullName), h("dd", {}, i.fullName),
        h("dt", {}, t.idNumber), h("dd", {}, i.idNumberMasked),
        h("dt", {}, t.dateOfBirth), h("dd", {}, civilDate(i.dateOfBirth)),
        h("dt", {}, t.source), h("dd", { id: "identity-source" }, t.sources[i.source] ?? i.source),
        h("dt", {}, ""), h("dd", {}, i.chipVerified ? t.chipVerified : t.notVerified)),
      h("div", { class: "actions" },
        // Typed or from the QR code: the chip can still confirm it (a card lifted mid-read, placed again).
        i.source !== "chip" && accepts.has("read_id_card") && ctx.usable("card_reader")
          ? h("button", { type: "button", id: "read-card-again", onclick: () => ctx.send({ type: "read_id_card" }) }, t.readAgain) : null,
        nextButton(ctx)),
    ];
  }
  // The chip opens with keys from what is printed on the card: the kiosk asks for the number
  // and dates once, then reads the chip with them.
  if (s.notice?.code === "card.keys_needed") {
    draft.mode = "typed";
    draft.thenReadCard = true;
  }
  const mode = draft.mode ?? "choose";
  if (mode === "typed") {
    return [
      h("h1", {}, draft.thenReadCard ? t.keysTitle : t.typed),
      keyed(ctx, { id: "idNumber", label: t.idNumber, kind: "id", value: draft.idNumber, maxLength: 12, required: true, error: fieldError(ctx, "idNumber"), onchange: (v) => { draft.idNumber = v; } }),
      keyed(ctx, { id: "fullName", label: t.fullName, kind: "text", value: draft.fullName, maxLength: 100, required: true, error: fieldError(ctx, "fullName"), onchange: (v) => { draft.fullName = v; } }),
      keyed(ctx, { id: "dateOfBirth", label: t.dateOfBirth, kind: "date", value: draft.dateOfBirth, maxLength: 10, required: true, error: fieldError(ctx, "dateOfBirth"), onchange: (v) => { draft.dateOfBirth = v; } }),
      // Only the chip's keys are needed when the card is read next: it gives the rest.
      draft.thenReadCard ? null : choices(ctx, { id: "sex", label: t.sex, value: draft.sex, options: [{ value: "female", label: t.female }, { value: "male", label: t.male }], onchoose: (v) => { draft.sex = v; ctx.render(); } }),
      h("div", { class: "actions" },
        draft.thenReadCard ? null : h("button", { type: "button", id: "typed-back", onclick: () => { draft.mode = "choose"; ctx.render(); } }, t.back),
        nextButton(ctx, t.next, async () => {
          const answer = await ctx.send({ type: "identify_typed", idNumber: draft.idNumber ?? "", fullName: draft.fullName ?? "", dateOfBirth: draft.dateOfBirth ?? "", sex: draft.sex }, { keepDraft: true });
          if (answer && !answer.rejected && draft.thenReadCard && ctx.usable("card_reader")) ctx.send({ type: "read_id_card" }, { keepDraft: true });
        })),
    ];
  }
  const readerUsable = ctx.usable("card_reader") && accepts.has("read_id_card");
  return [
    h("h1", {}, t.identifyTitle),
    h("div", { class: "tiles" },
      h("button", { type: "button", class: "tile primary", id: "read-card", disabled: !readerUsable, onclick: () => ctx.send({ type: "read_id_card" }) },
        t.card, h("small", {}, readerUsable ? t.cardSub : t.readerDown)),
      h("button", { type: "button", class: "tile", id: "type-id", onclick: () => { draft.mode = "typed"; ctx.render(); } }, t.typed, h("small", {}, t.typedSub)),
      // The QR reader types what it reads, then Enter: nothing to touch, the screen listens.
      h("div", { class: "tile panel", id: "qr-hint" }, t.qr, h("small", {}, t.qrSub))),
    qrReaderInput(ctx),
  ];
}

/** Where the QR reader (a USB scanner that types what it reads, then Enter) types: a field
 *  kept focused, out of sight (the kiosk has no other keyboard). */
function qrReaderInput(ctx) {
  const input = h("input", { type: "text", id: "qr-reader", class: "wedge", inputmode: "none", autocomplete: "off", "aria-label": ctx.t.qr, "data-not-a-target": "" });
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const payload = input.value.trim();
    input.value = "";
    if (payload.includes("|")) ctx.send({ type: "identify_qr", payload }, { keepDraft: true });
  });
  // What the reader types always goes at the end (a refocus may have put the caret first).
  const toEnd = () => input.setSelectionRange(input.value.length, input.value.length);
  input.addEventListener("beforeinput", toEnd);
  input.addEventListener("focus", toEnd);
  input.addEventListener("blur", () => setTimeout(() => { if (input.isConnected && !ctx.keyboard.target) input.focus({ preventScroll: true }); }, 0));
  setTimeout(() => input.focus({ preventScroll: true }), 0);
  return input;
}

// --- The declaration, page by page ---------------------------------------------------------------

function form(ctx, s) {
  const { t, loc, state } = ctx;
  const f = s.form;
  const draft = state.draft;
  const fields = f.fields.map((screenField) => {
    const field = screenField.field;
    const id = field.id;
    if (!(id in draft) && screenField.value !== undefined) draft[id] = screenField.value;
    const error = loc(screenField.error) || fieldError(ctx, id);
    const label = loc(field.label);
    const help = loc(field.help);
    const required = field.required;
    switch (field.type) {
      case "select":
        return choices(ctx, { id, label, value: draft[id], error, options: field.options.map((o) => ({ value: o.value, label: loc(o.label) })),
          onchoose: (v) => { draft[id] = v; ctx.send({ type: "answer", answers: { [id]: v } }, { keepDraft: true }); } });
      case "checkbox":
        return choices(ctx, { id, label, value: draft[id], error, options: [{ value: true, label: t.yes }, { value: false, label: t.no }],
          onchoose: (v) => { draft[id] = v; ctx.send({ type: "answer", answers: { [id]: v } }, { keepDraft: true }); } });
      case "address": {
        const a = draft[id] ?? { province: "", commune: "", detail: "" };
        draft[id] = a;
        return h("fieldset", { class: "field panel" }, h("legend", {}, label),
          provinceChoice(ctx, `${id}-province`, a),
          keyed(ctx, { id: `${id}-commune`, label: t.commune, kind: "text", value: a.commune, maxLength: 60, onchange: (v) => { a.commune = v; } }),
          keyed(ctx, { id: `${id}-detail`, label: t.detail, kind: "text", value: a.detail, maxLength: 120, onchange: (v) => { a.detail = v; } }),
          error ? h("p", { class: "error", role: "alert" }, error) : null);
      }
      default: {
        const kind = { number: "number", phone: "phone", citizen_id: "id", date: "date", email: "email" }[field.type] ?? "text";
        const shown = typeof draft[id] === "number" ? String(draft[id]) : draft[id];
        return keyed(ctx, { id, label, kind, value: shown, maxLength: field.maxLength ?? (kind === "date" ? 10 : 200), error, help, required,
          onchange: (v) => { draft[id] = kind === "number" ? (v === "" ? undefined : Number(v)) : v; } });
      }
    }
  });
  const submitPage = async () => {
    const answers = {};
    for (const screenField of f.fields) {
      const id = screenField.field.id;
      if (draft[id] !== undefined && draft[id] !== "") answers[id] = draft[id];
    }
    const answered = Object.keys(answers).length ? await ctx.send({ type: "answer", answers }, { keepDraft: true }) : { rejected: null };
    if (answered && !answered.rejected) ctx.send({ type: "next" });
  };
  return [
    h("h1", {}, loc(f.title)),
    f.pageCount > 1 ? h("p", { class: "muted" }, t.page(f.pageIndex + 1, f.pageCount)) : null,
    fields,
    h("div", { class: "actions" }, nextButton(ctx, t.next, submitPage)),
  ];
}

// --- Documents -----------------------------------------------------------------------------------

function illustration(source) {
  // A sheet on the glass (flatbed) or in the tray (feeder), with the arrow to its corner.
  if (source === "feeder") {
    return svg("svg", { viewBox: "0 0 200 120", class: "illustration", role: "img", "aria-hidden": "true" },
      svg("rect", { x: 20, y: 70, width: 160, height: 40, rx: 6, fill: "none", stroke: "currentColor", "stroke-width": 4 }),
      svg("rect", { x: 55, y: 10, width: 90, height: 70, fill: "#fff", stroke: "currentColor", "stroke-width": 3 }),
      svg("path", { d: "M100 5 v20 m-10 -10 l10 10 l10 -10", stroke: "currentColor", "stroke-width": 4, fill: "none" }));
  }
  return svg("svg", { viewBox: "0 0 200 120", class: "illustration", role: "img", "aria-hidden": "true" },
    svg("rect", { x: 10, y: 10, width: 180, height: 100, rx: 8, fill: "none", stroke: "currentColor", "stroke-width": 4 }),
    svg("rect", { x: 18, y: 18, width: 70, height: 92, fill: "#ddd", stroke: "currentColor", "stroke-width": 2 }),
    svg("path", { d: "M40 40 L20 20 m0 14 v-14 h14", stroke: "currentColor", "stroke-width": 4, fill: "none" }));
}

function documents(ctx, s, accepts) {
  const { t, loc, state } = ctx;
  const d = s.document;
  const doc = d.document;
  const scanning = s.pending?.type === "scan";
  const scannerUsable = ctx.usable("scanner");
  const fraction = scanning && state.scan?.documentId === doc.id ? state.scan.fraction : 0;
  const pages = d.pages.map((page, n) => h("div", { class: `page${page.looksBlank ? " blank" : ""}`, dataset: { page: page.id } },
    h("img", { src: api.pageURL(s.id, page.id), alt: `${t.pages(n + 1)}`, loading: "lazy", onerror: (e) => e.target.replaceWith(h("p", {}, t.noPreview)) }),
    page.looksBlank ? h("p", { class: "error" }, t.looksBlank) : null,
    h("button", { type: "button", class: "danger", onclick: () => ctx.send({ type: "remove_page", documentId: doc.id, pageId: page.id }) }, t.remove)));
  return [
    h("h1", {}, loc(doc.name)),
    d.count > 1 ? h("p", { class: "muted" }, `${d.index + 1}/${d.count}`) : null,
    illustration(doc.scan?.source),
    h("p", {}, doc.hint ? loc(doc.hint) : doc.scan?.source === "feeder" ? t.feeder : t.glass),
    scanning ? [h("p", { role: "status" }, t.scanning), h("div", { class: "progress" }, h("span", { style: `width:${Math.round(fraction * 100)}%` }))] : null,
    d.skipped ? h("p", { class: "panel" }, t.skipped) : null,
    d.pages.length ? h("h2", {}, t.pages(d.pages.length)) : null,
    h("div", { class: "pages", id: "pages" }, pages),
    h("div", { class: "actions" },
      scanning
        ? h("button", { type: "button", id: "stop", onclick: () => ctx.send({ type: "cancel_device_action" }) }, t.stop)
        : h("button", { type: "button", class: d.pages.length ? "" : "primary", id: "scan", disabled: !scannerUsable || !accepts.has("scan"), onclick: () => ctx.send({ type: "scan", documentId: doc.id }) },
          d.pages.length ? t.scanMore : t.scan),
      !doc.required && !d.pages.length && !d.skipped && !scanning
        ? h("button", { type: "button", id: "skip", onclick: () => ctx.send({ type: "skip_document", documentId: doc.id }) }, t.skip) : null,
      (d.pages.length || d.skipped) && !scanning ? nextButton(ctx) : null),
  ];
}

// --- Review, fee, delivery, submit -------------------------------------------------------------------

function review(ctx, s, accepts) {
  const { t, loc } = ctx;
  const r = s.review;
  const byPage = new Map();
  for (const line of r.answers) {
    if (!byPage.has(line.page)) byPage.set(line.page, []);
    byPage.get(line.page).push(line);
  }
  return [
    h("h1", {}, t.reviewTitle),
    h("h2", {}, t.confirmIdentity),
    s.identity ? h("p", {}, `${s.identity.fullName} · ${s.identity.idNumberMasked}`) : null,
    h("h2", {}, t.answers),
    [...byPage.entries()].map(([page, lines]) => h("div", { class: "panel" },
      h("dl", { class: "facts" }, lines.map((line) => [h("dt", {}, loc(line.label)), h("dd", {}, line.value)])),
      accepts.has("edit") ? h("button", { type: "button", dataset: { edit: `form-${page}` }, onclick: () => ctx.send({ type: "edit", step: "form", index: page }) }, t.edit) : null)),
    h("h2", {}, t.documents),
    r.documents.map((line) => h("div", { class: "panel" },
      h("p", {}, `${loc(line.name)}: ${line.skipped ? t.skipped : t.pages(line.pageCount)}`),
      accepts.has("edit") ? h("button", { type: "button", dataset: { edit: `documents-${line.index}` }, onclick: () => ctx.send({ type: "edit", step: "documents", index: line.index }) }, t.edit) : null)),
    h("div", { class: "actions" }, nextButton(ctx)),
  ];
}

function fee(ctx, s) {
  const { t, loc, state } = ctx;
  const charges = s.charges ?? s.fees?.map((f) => ({ name: f.name, amountVND: f.amountVND })) ?? [];
  return [
    h("h1", {}, t.feeTitle),
    h("dl", { class: "facts", id: "charges" }, charges.map((c) => [
      h("dt", {}, loc(c.name)),
      h("dd", {}, money(c.amountVND, state.language), c.working ? h("div", { class: "muted" }, loc(c.working)) : null)])),
    h("p", { class: "reference", id: "total" }, `${t.total}: ${money(s.totalFeeVND ?? 0, state.language)}`),
    h("p", {}, t.feeSay),
    h("div", { class: "actions" }, nextButton(ctx)),
  ];
}

function delivery(ctx, s) {
  const { t, state } = ctx;
  const d = s.delivery;
  const draft = state.draft;
  const chosen = draft.option ?? d.chosen?.option;
  const address = (draft.address ??= { ...(d.chosen?.address ?? { province: "", commune: "", detail: "" }) });
  return [
    h("h1", {}, t.deliveryTitle),
    choices(ctx, { id: "delivery", label: t.deliverySay, value: chosen, options: d.options.map((o) => ({ value: o, label: t[o] })),
      onchoose: (v) => { draft.option = v; if (v !== "post") ctx.send({ type: "choose_delivery", option: v }, { keepDraft: true }); else ctx.render(); } }),
    chosen === "post" ? h("fieldset", { class: "panel" }, h("legend", {}, t.post),
      provinceChoice(ctx, "post-province", address),
      keyed(ctx, { id: "post-commune", label: t.commune, kind: "text", value: address.commune, maxLength: 60, onchange: (v) => { address.commune = v; } }),
      keyed(ctx, { id: "post-detail", label: t.detail, kind: "text", value: address.detail, maxLength: 120, onchange: (v) => { address.detail = v; } })) : null,
    h("div", { class: "actions" }, nextButton(ctx, t.next, async () => {
      if (chosen === "post") {
        const answer = await ctx.send({ type: "choose_delivery", option: "post", address }, { keepDraft: true });
        if (!answer || answer.rejected) return;
      }
      ctx.send({ type: "next" });
    }, { disabled: !chosen })),
  ];
}

function submit(ctx) {
  const { t } = ctx;
  return [
    h("h1", {}, t.submitTitle),
    h("p", {}, t.submitSay),
    ctx.usable("printer") ? null : h("p", { class: "notice" }, t.printerDown),
    h("div", { class: "actions" }, nextButton(ctx, t.submit, () => ctx.send({ type: "submit" }), { id: "submit" })),
  ];
}

// --- Receipt and rating -------------------------------------------------------------------------------

function receipt(ctx, s, accepts) {
  const { t } = ctx;
  const dossier = s.dossier;
  const printing = s.pending?.type === "print";
  const printed = s.printed.includes("receipt");
  const qr = h("img", { class: "qr", src: `/api/v1/sessions/${s.id}/receipt-qr`, alt: t.trackQR });
  return [
    h("h1", {}, t.receiptTitle),
    h("dl", { class: "facts", id: "receipt" },
      h("dt", {}, s.centralCode ? t.reference : t.provisional), h("dd", { class: "reference", id: "reference" }, s.centralCode ?? dossier.provisionalReference),
      h("dt", {}, t.received), h("dd", {}, civilDate(dossier.receivedOn)),
      h("dt", {}, t.due), h("dd", {}, civilDate(dossier.dueOn))),
    qr,
    h("p", {}, t.trackQR),
    printing ? h("p", { role: "status", id: "printing" }, t.printing) : null,
    printed ? h("p", { class: "panel", role: "status", id: "printed" }, t.printed) : null,
    // The notice (from the print's failure) says it already; otherwise say it here.
    !printed && !printing && !s.notice ? h("p", { class: "notice", id: "not-printed" }, ctx.usable("printer") ? t.printFailed : t.printerDown) : null,
    h("div", { class: "actions" },
      accepts.has("reprint") ? h("button", { type: "button", id: "reprint", onclick: () => ctx.send({ type: "reprint", kind: "receipt" }) }, t.reprint) : null,
      accepts.has("next") ? nextButton(ctx) : null),
  ];
}

function rating(ctx, s, accepts) {
  const { t } = ctx;
  return [
    h("h1", {}, t.ratingTitle),
    h("p", {}, t.ratingSay),
    h("div", { class: "stars", role: "group", "aria-label": t.ratingTitle },
      t.ratings.map((label, n) => h("button", { type: "button", dataset: { score: n + 1 }, onclick: async () => {
        const answer = await ctx.send({ type: "rate", score: n + 1 });
        if (answer && !answer.rejected) ctx.send({ type: "next" });
      } }, `${n + 1} – ${label}`))),
    h("div", { class: "actions" }, accepts.has("next") ? h("button", { type: "button", id: "skip-rating", onclick: () => ctx.send({ type: "next" }) }, t.home) : null),
  ];
}
