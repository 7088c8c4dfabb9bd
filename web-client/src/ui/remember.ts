// "Remember our cards on this device" and the sheet "What this device remembers"
// (issue 21): the switch (off by default), what is kept in plain words, forgetting it
// all at once, and starred cards out to a file and back in. Everything here stays in
// this browser (src/memory.ts); the sheet says so.

import type { App } from "../app";
import { h } from "../dom";
import type { T } from "../i18n";
import { memory } from "../memory";
import type { View } from "../types";
import { opener, sheet } from "./sheet";

let note: string | null = null; // what the last import or "forget" did, until closed

/** The switch; turning it on inside a room keeps that room's cards from now on. */
export function rememberCheck(app: App, id: string, withHint = false): HTMLElement {
  const t = app.t();
  return h("div", { class: "remember" },
    h("div", { class: "check" },
      h("input", {
        type: "checkbox",
        id,
        "data-ui": "remember",
        checked: memory.on(),
        "aria-describedby": withHint ? `${id}-hint` : null,
        onchange: (e: Event) => {
          memory.setOn((e.target as HTMLInputElement).checked);
          app.rememberNow();
          app.render();
        },
      }),
      h("label", { for: id }, t("remember_label"))),
    withHint ? h("p", { class: "hint", id: `${id}-hint` }, t("remember_hint")) : null);
}

export function memoryOpener(app: App, ui: string, cls = "btn quiet"): HTMLElement {
  return opener(app, "memory", ui, app.t()("memory_open"), cls);
}

function download(name: string, type: string, body: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = h("a", { href: url, download: name, class: "visually-hidden" });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function memorySheet(app: App): HTMLElement {
  const t = app.t();
  if (app.s.sheet !== "memory") note = null;
  const decks = memory.decks();
  const stars = decks.flatMap((d) => d.starred.map((s) => ({ ...s, key: `${d.deck}@${d.version}:${s.id}` })));
  const status = !decks.length ? t("memory_nothing") : memory.on() ? t("memory_on") : t("memory_off_kept");
  const lines = decks.map((d) =>
    h("li", { "data-ui": "memory-deck", "data-key": `${d.deck}@${d.version}` },
      t("memory_deck_line", { title: d.title || d.deck, played: d.completed.length, skipped: d.skipped.length, starred: d.starred.length })));
  const body = [
    h("section", null,
      h("p", { class: "big", "data-ui": "memory-status", role: "status" }, note ?? status),
      lines.length ? h("ul", { class: "memory-decks" }, lines) : null,
      h("p", { class: "hint", "data-ui": "memory-promise" }, t("memory_promise")),
      h("p", { class: "hint" }, t("memory_sent")),
      rememberCheck(app, "memory-remember")),
    stars.length
      ? h("section", null,
          h("h3", null, t("memory_starred_title")),
          h("ul", { class: "memory-stars", "data-ui": "memory-stars" },
            stars.map((s) => h("li", { "data-key": s.key }, s.text || s.id))),
          h("div", { class: "menu-list" },
            h("button", { type: "button", class: "btn quiet", "data-ui": "export-text",
              onclick: () => download("closeknit-starred.txt", "text/plain;charset=utf-8", memory.exportStarred("text", t("memory_export_heading"))) },
              t("memory_export_text")),
            h("button", { type: "button", class: "btn quiet", "data-ui": "export-json",
              onclick: () => download("closeknit-starred.json", "application/json", memory.exportStarred("json", "")) },
              t("memory_export_json"))))
      : null,
    h("section", null,
      h("div", { class: "field" },
        h("label", { for: "memory-import" }, t("memory_import")),
        h("input", { type: "file", id: "memory-import", "data-ui": "import-starred", accept: ".json,application/json",
          "aria-describedby": "memory-import-hint",
          onchange: (e: Event) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (!file) return;
            // A file of starred cards is a few KiB; anything much bigger is not one.
            const read = file.size > 512 * 1024 ? Promise.resolve("") : file.text();
            void read.then((raw) => {
              const added = memory.importStarred(raw);
              note = added === null ? t("memory_import_bad")
                : t("memory_imported", { n: added });
              input.value = "";
              app.render();
            });
          } }),
        h("p", { class: "hint", id: "memory-import-hint" }, t("memory_import_hint")))),
    h("section", null,
      h("button", { type: "button", class: "btn danger", "data-ui": "forget-device",
        onclick: () => {
          if (!window.confirm(t("memory_forget_confirm"))) return;
          memory.forgetAll();
          note = t("memory_forgotten");
          app.render();
        } }, t("memory_forget"))),
  ];
  return sheet(app, "memory", t("memory_title"), body);
}

/** Between cards: the couple is told when what comes next was played before. */
export function playedThrough(v: View, t: T): HTMLElement | null {
  if (!v.played_through || v.phase !== "between" || v.exhausted) return null;
  const key = v.played_through === "deck" ? "played_through_deck" : "played_through_level";
  return h("p", { class: "notice", "data-ui": "played-through" }, t(key));
}
