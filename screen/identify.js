// Identification: the card (the chip's keys asked once, then read), the card's QR code (the QR
// reader types into a field kept focused), or typed on the keyboard.

import { civilDate, h } from "./dom.js";
import { choices, fieldError, keyed, nextButton } from "./fields.js";

// --- Identification ----------------------------------------------------------------------------

export function identify(ctx, s, accepts) {
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

