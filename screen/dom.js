// Building the DOM without HTML strings: text always goes in as text, so nothing a card, a
// catalog or an applicant supplies can become markup.

/** h("button", {class: "primary", onclick: f}, "Tiếp tục", child…) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An SVG element (the illustrations, the QR code). */
export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children.flat(Infinity)) if (child) element.append(child);
  return element;
}

/** Replaces everything inside `element`. */
export function replace(element, ...children) {
  element.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

/** 1234567 → "1.234.567 đ" (Vietnamese grouping), in English "1,234,567 VND". */
export function money(amount, language) {
  return language === "vi" ? `${amount.toLocaleString("vi-VN")} đ` : `${amount.toLocaleString("en-GB")} VND`;
}

/** {year, month, day} or "2026-12-04" → "04/12/2026". */
export function civilDate(value) {
  if (!value) return "";
  if (typeof value === "string") {
    const [y, m, d] = value.split("-");
    return `${d}/${m}/${y}`;
  }
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(value.day)}/${pad(value.month)}/${value.year}`;
}
