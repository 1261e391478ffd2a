// The touch controls the filing screens share: the Continue button, a field typed on the
// on-screen keyboard (ID numbers shown masked), a set of choices, the province list.

import { h } from "./dom.js";
import { PROVINCES } from "./provinces.js";

export function nextButton(ctx, label, action, attributes = {}) {
  return h("button", { type: "button", class: "primary", id: "next", onclick: action ?? (() => ctx.send({ type: "next" })), ...attributes }, label ?? ctx.t.next);
}

/** The message for field `id`: from the session's errors or the last refused event. */
export function fieldError(ctx, id) {
  const { state, loc } = ctx;
  return loc(state.session.errors?.[id] ?? state.rejected?.[id]);
}

// --- A text field typed on the on-screen keyboard --------------------------------------------

/** An ID number as those queueing behind may see it: the last four digits. */
const masked = (value) => (value && value.length > 4 ? "•".repeat(value.length - 4) + value.slice(-4) : value ?? "");

export function keyed(ctx, { id, label, kind, value, maxLength, error, help, required, onchange }) {
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

export function choices(ctx, { id, label, options, value, error, onchoose }) {
  return h("div", { class: "field", role: "group", "aria-labelledby": `label-${id}` },
    h("p", { class: "label", id: `label-${id}` }, label),
    h("div", { class: "chips" }, options.map((o) =>
      h("button", { type: "button", "aria-pressed": String(value === o.value), dataset: { value: o.value }, onclick: () => onchoose(o.value) }, o.label))),
    error ? h("p", { class: "error", role: "alert" }, error) : null);
}

/** The province as a list to touch (the 34 of them), the chosen one pressed. */
export function provinceChoice(ctx, id, address) {
  return choices(ctx, { id, label: ctx.t.province, value: address.province, options: PROVINCES.map((p) => ({ value: p, label: p })),
    onchoose: (v) => { address.province = v; ctx.render(); } });
}

