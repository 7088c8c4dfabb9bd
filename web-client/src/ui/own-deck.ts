// "Our own deck" (issue 21): in the lobby a couple adds a deck of their own questions,
// written here (one question per line, a box per level, topics as #tags) or pasted and
// uploaded as a deck file; the server checks it with the same validator as any deck and
// answers its problems with line and column. The partner accepts it before a card of it
// is dealt; either removes it. What is typed here stays in this page until it is added;
// the room keeps the deck only as long as it lives. Every text is set as text.

import { h } from "../dom";
import { pickLang, type Key, type Lang } from "../i18n";
import type { Problem } from "../deck-problems";
import type { Sealed } from "../seal-deck";
import { roomKeys, seats } from "../state";
import { maybe, type Ctx } from "./common";
import { opener, sheet } from "./sheet";

const MAX_CARDS = 50; // the editor's limit (a file may hold up to 200)
const MAX_BYTES = 64 * 1024;
const LEVELS: { id: string; name: Key }[] = [
  { id: "light", name: "own_level_1" },
  { id: "closer", name: "own_level_2" },
  { id: "deep", name: "own_level_3" },
];

interface Topic {
  id: string;
  label: Record<string, string>;
}
// Page memory only: the sheet's tab, what is being written or pasted, the last refusal.
const page = {
  tab: "write" as "write" | "paste",
  title: "",
  lines: ["", "", ""],
  json: "",
  problems: [] as Problem[],
  error: "",
  busy: false,
  topics: [] as Topic[],
  topicsAsked: false,
  focused: 0,
};
// The problems' words (src/deck-problems.ts), fetched with the upload code.
let problemText: ((lang: Lang, p: Problem) => string) | null = null;

function loadTopics(render: () => void): void {
  if (page.topicsAsked) return;
  page.topicsAsked = true;
  void fetch("api/topics").then((r) => (r.ok ? r.json() : [])).then((list: Topic[]) => {
    page.topics = Array.isArray(list) ? list : [];
    render();
  }).catch(() => undefined);
}

interface Written {
  deck: Record<string, unknown> | null;
  notes: string[];
  count: number;
  levels: number;
}

/** The deck the editor's boxes make, or what is still missing (in the page's words). */
function written(c: Ctx): Written {
  const { t } = c;
  const lang = pickLang(c.v.seats[c.v.you]?.language); // the deck is in the writer's language
  const known = new Set(page.topics.map((x) => x.id));
  const notes: string[] = [];
  const levels: Record<string, unknown>[] = [];
  const cards: Record<string, unknown>[] = [];
  LEVELS.forEach((lv, i) => {
    const name = t(lv.name);
    const lines = page.lines[i].split("\n").map((l) => l.trim());
    const questions: { text: string; tags: string[] }[] = [];
    lines.forEach((line, n) => {
      if (!line) return;
      const tags = Array.from(line.matchAll(/(?:^|\s)#([a-z0-9][a-z0-9-]*)/g), (m) => m[1]);
      const text = line.replace(/(?:^|\s)#[a-z0-9][a-z0-9-]*/g, "").trim();
      for (const tag of tags)
        if (known.size && !known.has(tag)) notes.push(t("own_unknown_topic", { level: name, line: n + 1, topic: tag }));
      if (text.length > 300) notes.push(t("own_too_long", { level: name, line: n + 1 }));
      if (text) questions.push({ text, tags: [...new Set(tags)].filter((x) => !known.size || known.has(x)) });
    });
    if (!questions.length) return;
    if (questions.length < 3) notes.push(t("own_need_three", { level: name }));
    levels.push({ id: lv.id, name: { [lang]: name }, description: { [lang]: "" } });
    questions.forEach((q) => cards.push({
      id: `c${cards.length + 1}`, level: lv.id, kind: "question", mode: "one",
      text: { [lang]: q.text }, ...(q.tags.length ? { tags: q.tags } : {}),
    }));
  });
  if (!cards.length) notes.push(t("own_need_cards"));
  if (cards.length > MAX_CARDS) notes.push(t("own_too_many", { max: MAX_CARDS, n: cards.length }));
  const deck = notes.length ? null : {
    id: "our-own-deck", version: "1.0.0",
    title: { [lang]: page.title.trim().slice(0, 80) || t("own_default_title") },
    description: { [lang]: t("own_description") },
    default_language: lang, languages: [lang], authors: [t("own_authors")],
    license: "LicenseRef-our-own", age_rating: "18+", levels, cards,
  };
  return { deck, notes, count: cards.length, levels: levels.length };
}

async function upload(c: Ctx, body: string): Promise<void> {
  const { app, t } = c;
  const room = app.s.room;
  const token = room ? seats.get(room) : null;
  page.problems = [];
  page.error = "";
  if (!room || !token) return;
  if (new Blob([body]).size > MAX_BYTES) {
    page.error = errorWords(c, "deck/too_large");
    app.render();
    return;
  }
  page.busy = true;
  app.render();
  try {
    // A sealed room (issue 20): the texts are sealed here first; the server sees the
    // deck's structure only. Problems it names are mapped back to what was pasted.
    let sealed: Sealed | null = null;
    const key = app.s.sealed ? roomKeys.get(c.v.room) : undefined;
    // Loaded on first use: most evenings never upload a deck.
    const [{ sealDeck, syntaxProblem, mapBack }, words] = await Promise.all([
      import("../seal-deck"), import("../deck-problems")]);
    await words.problemWords(app.lang());
    problemText = words.problemText;
    if (app.s.sealed) {
      const bad = syntaxProblem(body);
      if (!key || bad) {
        page.error = key ? errorWords(c, "deck/invalid") : t("sealed_no_key");
        page.problems = bad ? [bad] : [];
        return;
      }
      sealed = await sealDeck(body, key, c.v.room, c.v.you);
      if (sealed.problems.length) {
        page.error = errorWords(c, "deck/invalid");
        page.problems = sealed.problems;
        return;
      }
    }
    const res = await fetch(`api/rooms/${encodeURIComponent(room)}/deck`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: sealed ? sealed.text : body,
    });
    const answer = (await res.json().catch(() => ({}))) as { error?: string; problems?: Problem[] };
    if (res.ok) {
      app.closeSheet();
    } else {
      page.error = errorWords(c, answer.error ?? "");
      const named = Array.isArray(answer.problems) ? answer.problems : [];
      page.problems = sealed ? named.map((p) => mapBack(sealed, p)) : named;
    }
  } catch {
    page.error = t("load_failed");
  } finally {
    page.busy = false;
    app.render();
  }
}

function errorWords(c: Ctx, code: string): string {
  return c.app.errorWords(code);
}

function download(body: string): void {
  const url = URL.createObjectURL(new Blob([body], { type: "application/json" }));
  const a = h("a", { href: url, download: "our-own-deck.json", class: "visually-hidden" });
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function insertTopic(id: string, c: Ctx): void {
  const box = document.getElementById(`own-level-${page.focused}`) as HTMLTextAreaElement | null;
  const text = page.lines[page.focused];
  const at = box ? box.selectionEnd : text.length;
  const end = text.indexOf("\n", at) === -1 ? text.length : text.indexOf("\n", at);
  page.lines[page.focused] = `${text.slice(0, end).replace(/\s+$/, "")} #${id}${text.slice(end)}`;
  c.app.render();
}

function writeTab(c: Ctx): (HTMLElement | null)[] {
  const { t, app } = c;
  const made = written(c);
  const lang = app.lang();
  return [
    h("div", { class: "field" },
      h("label", { for: "own-title" }, t("own_deck_title")),
      h("input", { id: "own-title", "data-ui": "own-title", maxlength: "80", value: page.title,
        placeholder: t("own_default_title"),
        oninput: (e: Event) => { page.title = (e.target as HTMLInputElement).value; } })),
    ...LEVELS.map((lv, i) => {
      const n = page.lines[i].split("\n").filter((l) => l.trim()).length;
      return h("div", { class: "field" },
        h("label", { for: `own-level-${i}` }, t("own_level_label", { level: t(lv.name) })),
        h("textarea", { id: `own-level-${i}`, "data-ui": `own-level-${i}`, rows: "4", value: page.lines[i],
          "aria-describedby": `own-count-${i}`,
          onfocus: () => { page.focused = i; },
          oninput: (e: Event) => {
            page.lines[i] = (e.target as HTMLTextAreaElement).value;
            app.render();
          } }),
        h("p", { class: "hint", id: `own-count-${i}` }, t("own_level_count", { n })));
    }),
    h("p", { class: "hint" }, t("own_topics")),
    page.topics.length
      ? h("div", { class: "own-topics" }, page.topics.map((x) =>
          h("button", { type: "button", class: "chip", "data-key": `topic-${x.id}`,
            onclick: () => insertTopic(x.id, c) }, `#${x.id} · ${x.label[lang] ?? x.label.en ?? x.id}`)))
      : null,
    h("div", { class: "own-notes", "data-ui": "own-editor-notes", role: "status" },
      made.notes.length
        ? h("ul", null, made.notes.map((n, i) => h("li", { "data-key": `note-${i}` }, n)))
        : h("p", null, t("own_ready", { n: made.count, levels: made.levels }))),
    h("div", { class: "menu-list" },
      h("button", { type: "button", class: "btn primary", "data-ui": "own-add-written", disabled: !made.deck || page.busy,
        onclick: () => { if (made.deck) void upload(c, JSON.stringify(made.deck, null, 2)); } },
        page.busy ? t("own_adding") : t("own_add")),
      h("button", { type: "button", class: "btn quiet", "data-ui": "own-save", disabled: !made.deck,
        onclick: () => { if (made.deck) download(`${JSON.stringify(made.deck, null, 2)}\n`); } }, t("own_save"))),
  ];
}

function pasteTab(c: Ctx): HTMLElement[] {
  const { t, app } = c;
  return [
    h("div", { class: "field" },
      h("label", { for: "own-json" }, t("own_paste_label")),
      h("textarea", { id: "own-json", "data-ui": "own-json", class: "mono", rows: "10", spellcheck: "false",
        value: page.json,
        oninput: (e: Event) => {
          page.json = (e.target as HTMLTextAreaElement).value;
          app.render();
        } })),
    h("div", { class: "field" },
      h("label", { for: "own-file" }, t("own_file")),
      h("input", { type: "file", id: "own-file", "data-ui": "own-file", accept: ".json,application/json",
        onchange: (e: Event) => {
          const file = (e.target as HTMLInputElement).files?.[0];
          if (!file) return;
          if (file.size > MAX_BYTES) {
            page.error = errorWords(c, "deck/too_large");
            app.render();
            return;
          }
          void file.text().then((text) => {
            page.json = text;
            page.problems = [];
            page.error = "";
            app.render();
          });
        } })),
    h("button", { type: "button", class: "btn primary", "data-ui": "own-upload", disabled: page.busy || !page.json.trim(),
      onclick: () => void upload(c, page.json) }, page.busy ? t("own_adding") : t("own_check_add")),
  ];
}

export function ownDeckSheet(c: Ctx): HTMLElement | null {
  const { t, app, v } = c;
  if (app.party || v.phase !== "lobby") return null;
  if (app.s.sheet === "own-deck") loadTopics(() => app.render());
  const tab = (name: "write" | "paste", label: string): HTMLElement =>
    h("button", { type: "button", role: "tab", class: `btn small ${page.tab === name ? "" : "quiet"}`.trim(),
      "aria-selected": String(page.tab === name), "data-ui": `own-tab-${name}`,
      onclick: () => { page.tab = name; page.problems = []; page.error = ""; app.render(); } }, label);
  return sheet(app, "own-deck", t("own_title"), [
    h("p", { class: "hint" }, t("own_private")),
    h("div", { class: "row own-tabs", role: "tablist" }, tab("write", t("own_tab_write")), tab("paste", t("own_tab_paste"))),
    page.error
      ? h("div", { class: "banner error", role: "alert", "data-ui": "own-error" },
          h("p", null, page.problems.length ? t("own_problems_title") : page.error),
          page.problems.length
            ? h("ul", { "data-ui": "own-problems" }, page.problems.map((p, i) =>
                h("li", { "data-key": `problem-${i}` }, t("own_problem", { line: p.line, column: p.column,
                  message: problemText ? problemText(app.lang(), p) : p.message }))))
            : null)
      : null,
    h("div", { role: "tabpanel" }, page.tab === "write" ? writeTab(c) : pasteTab(c)),
  ]);
}

/** The lobby's part: add a deck, or what was added and what each of you can do. */
export function ownDeckPanel(c: Ctx): HTMLElement | null {
  const { t, app, v, partner } = c;
  if (app.party) return null;
  const own = v.own_deck;
  if (!own) {
    if (v.phase !== "lobby") return null;
    return h("div", { class: "own-deck-open" },
      opener(app, "own-deck", "open-own-deck", t("own_open"), "btn quiet"),
      h("p", { class: "hint" }, t("own_open_hint")));
  }
  const status = own.accepted ? t("own_playing")
    : own.by === v.you ? t("own_added_by_me", { name: partner })
    : t("own_added_by_partner", { name: partner });
  return h("section", { class: "own-deck", "data-ui": "own-deck", "aria-label": t("own_title") },
    h("h2", { class: "own-deck-title" }, own.title),
    own.description ? h("p", null, own.description) : null,
    h("p", { class: "hint" }, t("own_facts", { cards: own.cards, levels: own.levels.join(" → ") })),
    own.topics.length ? h("p", { class: "hint" }, t("own_topics_list", { topics: own.topics.join(", ") })) : null,
    h("p", { class: "own-deck-status", role: "status" }, status),
    h("div", { class: "row" },
      maybe(c, "accept_deck", t("own_accept")),
      maybe(c, "remove_deck", t("own_remove"), { cls: "quiet" })));
}
