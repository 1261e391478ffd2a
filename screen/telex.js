// Telex composition for Vietnamese, for the on-screen keyboard (a kiosk has no physical one).
//
// A word is kept as the keys typed for it and composed again from them on every key, so that
// the tone always lands on the right vowel whatever order the keys came in:
//   aa â · aw ă · ee ê · oo ô · ow ơ · uw ư · uow ươ · w ư · dd đ
//   s sắc · f huyền · r hỏi · x ngã · j nặng · z removes the tone
// A mark typed twice is undone and the key kept as a letter ("ss" → "s", "aaa" → "aa").
// Direct keys (â ă ê ô ơ ư đ, and the five tone marks as combining characters) go in as they
// are. Tone placement follows the classic style that civil records and most keyboards use by
// default: hòa, khỏe, thủy (a marked vowel takes the tone: Nguyễn, Trường, Quốc; with a final
// consonant the second vowel of two: hoàn, Huỳnh). The result is Unicode NFC.

export const TONE_KEYS = { s: "\u0301", f: "\u0300", r: "\u0309", x: "\u0303", j: "\u0323" };
const TONE_MARKS = new Set(Object.values(TONE_KEYS));
const VOWELS = "aăâeêioôơuưy";
const HAT = { a: "â", e: "ê", o: "ô" };
const HORN = { a: "ă", o: "ơ", u: "ư" };
const UNMARK = { â: "a", ă: "a", ê: "e", ô: "o", ơ: "o", ư: "u" };

const isUpper = (c) => c !== c.toLowerCase();
const withCase = (c, like) => (isUpper(like) ? c.toUpperCase() : c);
const base = (c) => c.toLowerCase();
const isVowel = (c) => VOWELS.includes(base(c));

/** The indexes of the word's vowel nucleus: "qu" and "gi" before a vowel are consonants. */
function nucleus(letters) {
  const lower = letters.map(base);
  let start = lower.findIndex(isVowel);
  if (start < 0) return [];
  if (start > 0 && lower[start - 1] === "q" && lower[start] === "u" && isVowel(lower[start + 1] ?? "")) start += 1;
  if (start > 0 && lower[start - 1] === "g" && lower[start] === "i" && isVowel(lower[start + 1] ?? "")) start += 1;
  const indexes = [];
  for (let i = start; i < lower.length && isVowel(lower[i]); i++) indexes.push(i);
  return indexes;
}

/** Where the tone goes in `letters` (an index), or -1 when the word has no vowel. */
export function toneIndex(letters) {
  const vowels = nucleus(letters);
  if (vowels.length === 0) return -1;
  const marked = vowels.filter((i) => "ăâêôơư".includes(base(letters[i])));
  if (marked.length > 0) return marked[marked.length - 1];
  if (vowels.length >= 3) return vowels[1];
  if (vowels.length === 2) {
    const last = vowels[1];
    const hasFinal = last + 1 < letters.length;
    return hasFinal ? vowels[1] : vowels[0];
  }
  return vowels[0];
}

/** The word that `keys` (an array of one-character strings) type. */
export function compose(keys) {
  const letters = [];
  let tone = null;
  for (const key of keys) {
    const k = base(key);
    if (TONE_MARKS.has(key)) {
      tone = tone === key ? null : key;
      continue;
    }
    if (k in TONE_KEYS && letters.some(isVowel)) {
      if (tone === TONE_KEYS[k]) {
        tone = null;
        letters.push(key);
      } else {
        tone = TONE_KEYS[k];
      }
      continue;
    }
    if (k === "z" && tone) {
      tone = null;
      continue;
    }
    if (k === "w") {
      if (!applyHorn(letters)) letters.push(withCase("ư", key));
      else if (letters.lastUndone) {
        delete letters.lastUndone;
        letters.push(key);
      }
      continue;
    }
    if (k in HAT) {
      const vowels = nucleus(letters);
      const at = [...vowels].reverse().find((i) => base(letters[i]) === k || base(letters[i]) === HAT[k]);
      if (at !== undefined && base(letters[at]) === k) {
        letters[at] = withCase(HAT[k], letters[at]);
        continue;
      }
      if (at !== undefined && base(letters[at]) === HAT[k]) {
        letters[at] = withCase(k, letters[at]);
        letters.push(key);
        continue;
      }
    }
    if (k === "d" && letters.length > 0) {
      const last = letters[letters.length - 1];
      if (base(last) === "d" && letters.length === 1) {
        letters[0] = withCase("đ", last);
        continue;
      }
      if (base(last) === "đ" && letters.length === 1) {
        letters[0] = withCase("d", last);
        letters.push(key);
        continue;
      }
    }
    letters.push(key);
  }
  if (tone) {
    const at = toneIndex(letters);
    if (at >= 0) letters[at] = (letters[at] + tone).normalize("NFC");
    else letters.push(tone);
  }
  return letters.join("").normalize("NFC");
}

/** Applies the horn or breve of `w` to the word's last a/o/u ("uo" together → "ươ"); undoes it
 *  when already there (and says so on `letters.lastUndone`). False when there is no vowel to mark. */
function applyHorn(letters) {
  const vowels = nucleus(letters);
  const lower = vowels.map((i) => base(letters[i]));
  const pair = lower.findIndex((c, n) => (c === "u" || c === "ư") && (lower[n + 1] === "o" || lower[n + 1] === "ơ"));
  if (pair >= 0) {
    const [u, o] = [vowels[pair], vowels[pair + 1]];
    if (base(letters[u]) === "ư" && base(letters[o]) === "ơ") {
      letters[u] = withCase("u", letters[u]);
      letters[o] = withCase("o", letters[o]);
      letters.lastUndone = true;
    } else {
      letters[u] = withCase("ư", letters[u]);
      letters[o] = withCase("ơ", letters[o]);
    }
    return true;
  }
  const at = [...vowels].reverse().find((i) => "aouăơư".includes(base(letters[i])));
  if (at === undefined) return false;
  const c = base(letters[at]);
  if (c in HORN) letters[at] = withCase(HORN[c], letters[at]);
  else {
    letters[at] = withCase(UNMARK[c], letters[at]);
    letters.lastUndone = true;
  }
  return true;
}

/** A field's text being typed: what is already written, and the keys of the word in progress. */
export class TelexBuffer {
  constructor(text = "") {
    this.committed = text;
    this.keys = [];
  }

  get text() {
    return (this.committed + compose(this.keys)).normalize("NFC");
  }

  /** A letter, a direct diacritic key or a tone mark: part of the word. Anything else (a
   *  space, a digit, punctuation) ends the word. */
  type(key) {
    if (/^[\p{L}]$/u.test(key) || TONE_MARKS.has(key)) {
      this.keys.push(key);
    } else {
      this.committed = this.text + key;
      this.keys = [];
    }
    return this.text;
  }

  backspace() {
    if (this.keys.length > 0) this.keys.pop();
    else this.committed = [...this.committed].slice(0, -1).join("");
    return this.text;
  }

  clear() {
    this.committed = "";
    this.keys = [];
    return "";
  }
}
