// Documents: what to place where, live progress, page previews, blank pages, remove, rescan, skip.

import { api } from "./api.js";
import { h, svg } from "./dom.js";
import { nextButton } from "./fields.js";

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

export function documents(ctx, s, accepts) {
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

