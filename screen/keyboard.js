// The on-screen keyboard: a kiosk has no physical one. Text fields type Vietnamese by Telex
// (Nguyeenx → Nguyễn) or with the direct keys for â ă ê ô ơ ư đ and the five tone marks;
// numbers, phone and ID numbers get a numeric keypad; dates a keypad that writes dd/mm/yyyy.

import { h, replace } from "./dom.js";
import { TelexBuffer, TONE_KEYS } from "./telex.js";

const LETTERS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
const MARKS = ["â", "ă", "ê", "ô", "ơ", "ư", "đ"];
const TONES = [
  { mark: TONE_KEYS.s, label: "´", vi: "dấu sắc", en: "acute tone (sắc)" },
  { mark: TONE_KEYS.f, label: "`", vi: "dấu huyền", en: "grave tone (huyền)" },
  { mark: TONE_KEYS.r, label: "?", vi: "dấu hỏi", en: "hook tone (hỏi)" },
  { mark: TONE_KEYS.x, label: "~", vi: "dấu ngã", en: "tilde tone (ngã)" },
  { mark: TONE_KEYS.j, label: ".", vi: "dấu nặng", en: "dot tone (nặng)" },
];
const WORDS = {
  vi: { done: "Xong", space: "Dấu cách", backspace: "Xóa", shift: "Chữ hoa", digits: "123", letters: "ABC", clear: "Xóa hết" },
  en: { done: "Done", space: "Space", backspace: "Delete", shift: "Capitals", digits: "123", letters: "ABC", clear: "Clear" },
};

export class Keyboard {
  constructor(element, language) {
    this.element = element;
    this.language = language;
    this.target = null;
  }

  /** Types into `input` (an <input readonly>) until Done. `kind`: text, email, number, phone,
   *  id, date. `onchange(value)` hears every change; `ondone()` the Done key; `onleave()` any
   *  way the keyboard leaves the field (Done, another field, the end of the session). */
  open(input, { kind = "text", maxLength = 200, onchange = () => {}, ondone = () => {}, onleave = () => {} } = {}) {
    this.close();
    this.target = { input, kind, maxLength, onchange, ondone, onleave, buffer: new TelexBuffer(input.value), shift: kind === "text" && input.value === "", digits: false };
    input.classList.add("active");
    document.body.classList.add("typing");
    this.element.hidden = false;
    this.render();
    input.scrollIntoView({ block: "center" });
  }

  close() {
    if (!this.target) return;
    this.target.onleave();
    this.target.input.classList.remove("active");
    this.target = null;
    this.element.hidden = true;
    document.body.classList.remove("typing");
    replace(this.element);
  }

  get words() {
    return WORDS[this.language] ?? WORDS.vi;
  }

  key(label, action, attributes = {}) {
    return h("button", { type: "button", ...attributes, onclick: (e) => { e.preventDefault(); action(); } }, label);
  }

  render() {
    const t = this.target;
    if (!t) return;
    const w = this.words;
    const numeric = ["number", "phone", "id", "date"].includes(t.kind) || t.digits;
    const rows = [];
    if (numeric) {
      for (const row of ["123", "456", "789"]) rows.push(h("div", { class: "row" }, [...row].map((d) => this.key(d, () => this.type(d)))));
      const extra = t.digits ? [this.key(w.letters, () => { t.digits = false; this.render(); }, { "aria-label": w.letters })] : [];
      rows.push(h("div", { class: "row" }, [
        ...extra,
        this.key("⌫", () => this.backspace(), { "aria-label": w.backspace }),
        this.key("0", () => this.type("0")),
        this.key(w.done, () => this.done(), { class: "primary wide" }),
      ]));
    } else {
      rows.push(h("div", { class: "row" }, MARKS.map((m) => this.key(t.shift ? m.toUpperCase() : m, () => this.type(t.shift ? m.toUpperCase() : m), { class: "mark" })),
        TONES.map((tone) => this.key(tone.label, () => this.type(tone.mark), { class: "mark", "aria-label": tone[this.language] ?? tone.vi }))));
      LETTERS.forEach((letters, index) => {
        const keys = [...letters].map((c) => {
          const letter = t.shift ? c.toUpperCase() : c;
          return this.key(letter, () => this.type(letter));
        });
        if (index === 2) {
          keys.unshift(this.key("⇧", () => { t.shift = !t.shift; this.render(); }, { "aria-label": w.shift, "aria-pressed": String(t.shift) }));
          keys.push(this.key("⌫", () => this.backspace(), { "aria-label": w.backspace }));
        }
        rows.push(h("div", { class: "row" }, keys));
      });
      const bottom = [this.key(w.digits, () => { t.digits = true; this.render(); }, { "aria-label": w.digits })];
      if (t.kind === "email") bottom.push(this.key("@", () => this.type("@")), this.key(".", () => this.type(".")));
      else bottom.push(this.key(",", () => this.type(",")), this.key("-", () => this.type("-")));
      bottom.push(this.key(w.space, () => this.type(" "), { class: "wide" }), this.key(w.done, () => this.done(), { class: "primary wide" }));
      rows.push(h("div", { class: "row" }, bottom));
    }
    replace(this.element, rows);
  }

  type(key) {
    const t = this.target;
    if (!t) return;
    let value;
    if (t.kind === "text") {
      value = t.buffer.type(key);
      if (t.shift && /\p{L}/u.test(key)) t.shift = false;
    } else if (t.kind === "date") {
      const digits = (t.input.value.replace(/\D/g, "") + key).slice(0, 8);
      value = [digits.slice(0, 2), digits.slice(2, 4), digits.slice(4)].filter(Boolean).join("/");
    } else {
      value = t.input.value + key;
      if (t.kind === "phone" || t.kind === "id" || t.kind === "number") value = value.replace(/[^0-9]/g, "");
      if (t.kind === "email") value = value.toLowerCase();
    }
    if ([...value].length > t.maxLength) return;
    this.set(value);
    this.render();
  }

  backspace() {
    const t = this.target;
    if (!t) return;
    if (t.kind === "text") this.set(t.buffer.backspace());
    else this.set([...t.input.value].slice(0, -1).join("").replace(/\/$/, ""));
  }

  set(value) {
    const t = this.target;
    t.input.value = value;
    if (t.kind !== "text") t.buffer = new TelexBuffer(value);
    t.onchange(value);
  }

  done() {
    const t = this.target;
    this.close();
    t?.ondone();
  }
}
