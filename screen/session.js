// The filing steps as touch screens, rendered from kioskd's session screen (GET
// /api/v1/sessions/{id}): the step, its fields, its documents, what it accepts. The flow's
// rules stay in kioskd; these files only show them and send the applicant's taps.
// Identification is in identify.js, documents in documents.js, the shared controls in fields.js.

import { civilDate, h, money } from "./dom.js";
import { documents } from "./documents.js";
import { choices, fieldError, keyed, nextButton, provinceChoice } from "./fields.js";
import { identify } from "./identify.js";


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
