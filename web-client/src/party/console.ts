// The host console and the big-screen display: one snapshot, then per-table deltas.
// Neither ever receives a table's typed answers, passes or boundaries: only each
// table's level, progress and "needs a moment" (the display not even who sits where).
// Both speak the host's language: the console the browser's, the display the one its
// link was opened with (the console's link carries it), else the browser's.

import { h, type Child } from "../dom";
import { pickLang, translator, type Lang, type T } from "../i18n";
import { qrSvg } from "../ui/invite";
import { applyDelta, can, clock, joinLink, saved, secondsLeft, type ConsoleView, type Meta, type TableEntry } from "./model";
import { PartySocket, type Msg, type Role } from "./net";
import { partyWords, replyWords } from "./words";

export interface Deck {
  id: string;
  title: Record<string, string> | string;
  levels: { name: Record<string, string> | string }[];
}

// A change that is hard to undo waits for a second tap on its own confirmation.
export type Confirm = { kind: "end" } | { kind: "remove" | "hand"; guest: string; name: string };

export class Console {
  view: ConsoleView | null = null;
  confirming: Confirm | null = null;
  socket: PartySocket;
  online = false;
  stopped: string | null = null;
  error = "";
  decks: Deck[] = [];
  pairA = "";
  pairB = "";
  roundSeconds = 60;
  readonly t: T;

  constructor(readonly code: string, readonly role: Role, token: string, private render: () => void,
              readonly lang: Lang = pickLang(navigator.language)) {
    this.t = translator(lang);
    this.socket = new PartySocket(() => ({ party: code, role, token }), {
      welcome: () => undefined,
      message: (m) => this.onMessage(m),
      status: (open) => {
        this.online = open;
        this.render();
      },
      stop: (reason) => {
        // After a handover the close (4001) follows the reason: keep the reason.
        if (this.stopped !== "host_handed") this.stopped = reason;
        this.render();
      },
    });
    this.socket.start();
    if (role === "host") void this.loadDecks();
  }

  private onMessage(m: Msg): void {
    const before = this.view;
    if (m.t === "party") this.view = m.view as ConsoleView;
    else if (m.t === "party_delta" && this.view) this.view = applyDelta(this.view, m);
    else if (m.t === "party_closed") this.stopped = String(m.reason);
    if (before && this.view) this.noteDeeper(before, this.view);
    this.render();
  }

  /** When each table last went deeper (this page saw its level rise): the big screen
   *  moves that table's mark, and nothing else. */
  readonly rose = new Map<string, number>();

  private noteDeeper(before: ConsoleView, after: ConsoleView): void {
    for (const [tid, e] of Object.entries(after.tables)) {
      const was = before.tables[tid]?.level;
      if (was !== undefined && (e.level ?? 0) > was) this.rose.set(tid, Date.now());
    }
  }

  private async loadDecks(): Promise<void> {
    try {
      const res = await fetch("api/decks");
      if (res.ok) this.decks = (await res.json()) as Deck[];
    } catch {
      this.decks = [];
    }
    this.render();
  }

  async act(a: string, fields: Msg = {}): Promise<void> {
    const reply = await this.socket.act(a, fields);
    this.error = replyWords(reply, true, this.lang);
    this.render();
  }

  ask(confirm: Confirm | null): void {
    this.confirming = confirm;
    this.render();
  }

  /** The second tap: do what the confirmation asked about. */
  async confirmed(): Promise<void> {
    const what = this.confirming;
    this.confirming = null;
    if (!what) return;
    if (what.kind === "end") await this.act("end_party");
    else if (what.kind === "remove") await this.act("remove_guest", { guest: what.guest });
    else await this.act("hand_host", { guest: what.guest });
  }

  async upload(file: File): Promise<void> {
    const { uploadDeck } = await import("./deck-upload"); // its own chunk, on first use
    const token = saved.get("host", this.code) ?? "";
    const said = (code: string): string => partyWords(code, false, this.lang);
    this.error = await uploadDeck(this.code, token, file, this.lang, this.t, said);
    this.render();
  }
}

function text(value: Record<string, string> | string, lang: string): string {
  return typeof value === "string" ? value : value[lang] ?? value.en ?? Object.values(value)[0] ?? "";
}

function count(t: T, n: number, key: Parameters<T>[0]): string {
  return t(key, { n }); // its plural forms: src/i18n.ts
}

function capLine(c: Console): string {
  const meta = c.view?.meta;
  if (!meta || meta.level_cap === null) return c.t("p_any_depth");
  return c.t("p_cap_line", { n: meta.level_cap + 1, total: meta.deck_levels });
}

/** The round in words: running (with its clock), over, or on and waiting for a start. */
function roundWords(t: T, meta: Meta): string | null {
  if (meta.round.seconds === null) return null;
  const left = secondsLeft(meta);
  if (left !== null) return t("p_round_n", { n: meta.round.no });
  return meta.round.no ? t("p_round_over", { n: meta.round.no }) : t("p_rounds_on");
}

function stoppedScreen(c: Console): HTMLElement {
  const t = c.t;
  const heir = c.view?.meta.host;
  const why: Record<string, string> = {
    replaced: t("p_stop_replaced"),
    removed: t("p_party_ended_dot"),
    host_handed: heir ? t("p_stop_handed_to", { name: heir }) : t("p_stop_handed"),
    ended: t("p_party_ended_dot"),
  };
  const title = c.role === "display" ? t("p_display_closed") : t("p_console_closed");
  // A refusal that is not final (too many tries, a server fault) says so and offers
  // another try; only a wrong or spent link "no longer opens the party".
  const known = why[c.stopped ?? ""];
  const spent = c.stopped === "join/failed" || c.stopped === "party/ended";
  const words = partyWords(c.stopped ?? "", false, c.lang);
  return h("div", { class: "screen calm-panel", "data-screen": "party-stopped", "data-reason": c.stopped ?? "" },
    h("h1", null, title),
    h("p", { class: "big", "data-ui": "stopped-why" }, known ?? (spent ? `${words} ${t("p_link_spent")}` : words)),
    known || spent ? null
      : h("button", { type: "button", class: "btn primary", "data-ui": "try-again", onclick: () => location.reload() }, t("p_try_again")));
}

// --- the display -----------------------------------------------------------------------
// A 16:9 stage fitted into the screen, every size in its own unit (--u, a hundredth of
// its width: party.css), so a 720p projector and a 4K television show the same picture.
// Open: the code, huge, and the QR code. A timed round: its clock, huge, the way in
// beside it. Paused or ended: one sentence takes the whole screen. Locked or ended: no
// code, no QR code, no link. Along the bottom, one quiet mark per table.

function stage(c: Console, state: string, ...children: Child[]): HTMLElement {
  // (not yet "party-display" while it connects: tests and tools wait for the real one)
  const screen = state === "connecting" ? "display-connecting" : "party-display";
  return h("div", { class: `tv tv-${state}`, "data-screen": screen, "data-state": state, lang: c.lang }, ...children);
}

function takeover(c: Console, state: "paused" | "ended", title: string, body: string): HTMLElement {
  return stage(c, state,
    h("div", { class: "tv-takeover" },
      state === "paused" ? h("div", { class: "tv-breath", "aria-hidden": "true" }) : null,
      h("h1", { class: "tv-say", "data-ui": state }, title),
      h("p", { class: "tv-sub" }, body)),
    c.online ? null : reconnecting(c));
}

function reconnecting(c: Console): HTMLElement {
  return h("p", { class: "banner warn tv-net", role: "status" }, c.t("p_reconnecting"));
}

function link(code: string, cls = "tv-link mono"): HTMLElement {
  // Wrapped only before "#join=": never in the middle of the code.
  const full = joinLink(code);
  const cut = full.lastIndexOf("#");
  return h("p", { class: cls, "data-ui": "party-link" },
    h("span", null, full.slice(0, cut)), h("span", { class: "nowrap" }, full.slice(cut)));
}

export function displayScreen(c: Console): HTMLElement {
  const t = c.t;
  if (c.stopped && c.stopped !== "ended") return stoppedScreen(c);
  const v = c.view;
  if (!v)
    return stage(c, "connecting", h("div", { class: "tv-takeover" },
      h("p", { class: "tv-sub" }, c.online ? t("p_opening") : t("p_connecting"))));
  const m = v.meta;
  if (m.ended) return takeover(c, "ended", t("p_ended_title"), t("p_ended_body"));
  if (m.paused) return takeover(c, "paused", t("p_paused_title"), t("p_paused_body"));
  const left = secondsLeft(m);
  const open = !m.locked;
  const guests = Object.keys(v.guests).length;
  const round = roundWords(t, m);
  const hero = left !== null
    ? h("section", { class: "tv-hero tv-round", "aria-label": t("p_round_n", { n: m.round.no }) },
        h("p", { class: "tv-kicker" }, t("p_round_n", { n: m.round.no })),
        h("p", { class: "tv-clock mono", "data-ui": "countdown", role: "timer" }, clock(left)),
        h("p", { class: "tv-sub" }, t("p_round_explain")))
    : open
      ? h("section", { class: "tv-hero tv-join", "aria-label": t("p_how_to_join") },
          h("p", { class: "tv-kicker" }, t("p_join_with_phone")),
          h("p", { class: "tv-code mono", "data-ui": "party-code" }, m.code),
          link(m.code))
      : h("section", { class: "tv-hero tv-closed" },
          h("p", { class: "tv-say", "data-ui": "locked" }, t("p_not_taking_guests")),
          h("p", { class: "tv-sub" }, t("p_locked_body")));
  const side = open
    ? h("div", { class: left !== null ? "tv-side tv-side-small" : "tv-side" },
        h("div", { class: "tv-qr", "data-ui": "party-qr" }, qrSvg(joinLink(m.code), t("p_qr_label", { code: m.code }))),
        left !== null
          ? [h("p", { class: "tv-kicker" }, t("p_join_with_phone")), h("p", { class: "tv-code-small mono", "data-ui": "party-code" }, m.code)]
          : null)
    : left !== null
      ? h("div", { class: "tv-side tv-side-closed" }, h("p", { class: "tv-say", "data-ui": "locked" }, t("p_not_taking_guests")))
      : null;
  return stage(c, left !== null ? "round" : open ? "open" : "locked",
    h("header", { class: "tv-top" },
      h("h1", { class: "mark tv-mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("p_party_title")),
      h("ul", { class: "tv-facts" },
        h("li", { "data-ui": "guest-count" }, count(t, guests, "p_guests_n")),
        h("li", { "data-ui": "table-count" }, count(t, m.tables, "p_tables_n")),
        h("li", { "data-ui": "cap" }, capLine(c)),
        round && left === null ? h("li", { "data-ui": "round" }, round) : null)),
    c.online ? null : reconnecting(c),
    h("div", { class: "tv-main" }, hero, side),
    tableMarks(c, v));
}

/** One mark per table: how deep it is, how many cards it has shared, whether it needs a
 *  moment. Never who sits there: the display's view does not even say. A table that goes
 *  deeper rises into its new place (a new element, by its key); nothing moves otherwise,
 *  and nothing at all under reduced motion (styles.css). */
function tableMarks(c: Console, v: ConsoleView): HTMLElement {
  const t = c.t;
  const rows = Object.entries(v.tables).sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)));
  const levels = v.meta.deck_levels;
  const dense = rows.length > 60 ? " tiny" : rows.length > 24 ? " dense" : "";
  if (!rows.length)
    return h("section", { class: "tv-tables empty", "aria-label": t("p_tables_label") },
      h("p", { class: "tv-sub" }, t("p_no_tables_yet")));
  return h("section", { class: "tv-tables", "aria-label": t("p_tables_label") },
    h("ul", { class: `tv-marks${dense}`, "data-ui": "table-marks" }, rows.map(([tid, e], i) => {
      const level = e.level ?? 0;
      const words = markWords(t, i + 1, e);
      const deeper = Date.now() - (c.rose.get(tid) ?? 0) < RISE_MS ? " deeper" : "";
      return h("li", { class: `tv-mark-table lv${level % 6}${e.needs_moment ? " moment" : ""}${deeper}`, "data-key": `${tid}:${level}`,
        "data-table": tid, "data-level": String(level), title: words, "aria-label": words },
        h("span", { class: "tv-dots", "aria-hidden": "true" },
          Array.from({ length: Math.max(levels, level + 1) }, (_, n) => h("span", { class: n <= level ? "tv-dot on" : "tv-dot" }))),
        h("span", { class: "tv-cards", "aria-hidden": "true" }, String(e.completed ?? 0)),
        e.needs_moment ? h("span", { class: "tv-moment", "aria-hidden": "true" }, t("p_a_moment")) : null);
    })),
    h("p", { class: "tv-legend", "aria-hidden": "true" }, t("p_marks_legend")));
}

const RISE_MS = 1500; // a little longer than the rise itself (party.css)

function markWords(t: T, n: number, e: TableEntry): string {
  const parts = [t("p_table_n", { n }), t("p_level_n", { n: (e.level ?? 0) + 1 }),
    count(t, e.completed ?? 0, "p_cards_n")];
  if (e.needs_moment) parts.push(t("p_needs_moment"));
  return parts.join(", ");
}

// --- the host console ---------------------------------------------------------------------
// Every control is offered from the view's `legal` (docs/party.md): a button whose action
// is not legal now is not shown (as on the couple page), a field is disabled. Each
// control names the action it asks for in `data-party-action` (tests read it). The
// controls come in four groups, by how much they change: the pace (pause, rounds), the
// depth (deck, deepest level), the people (pairing, the door) and the end. On a laptop
// the room (tables, guests) sits beside them; on a phone the tables follow the pace and
// the guests the people, and the end comes last.

// The actions of the controls: while none is legal (the party has ended), no controls.
const PANEL = ["pause_all", "resume_all", "lock", "end_party", "choose_deck", "set_level_cap",
  "set_mixer", "mix", "pair_guests", "set_rounds", "start_round"];

function button(c: Console, action: string, attrs: Record<string, unknown>, label: string): Child {
  return can(c.view, action) ? h("button", { type: "button", "data-party-action": action, ...attrs }, label) : null;
}

export function hostScreen(c: Console): HTMLElement {
  const t = c.t;
  if (c.stopped) return stoppedScreen(c);
  const v = c.view;
  if (!v) return h("div", { class: "screen", "data-screen": "connecting" }, h("p", { class: "big" }, t("p_connecting")));
  const m = v.meta;
  const live = PANEL.some((a) => can(v, a));
  return h("div", { class: "screen host", "data-screen": "party-host", lang: c.lang },
    h("header", { class: "host-top" },
      h("h1", { class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("p_party_code_title", { code: m.code })),
      h("p", { class: "host-status", "data-ui": "host-status" }, statusWords(c))),
    c.online ? null : h("p", { class: "banner warn" }, t("p_reconnecting")),
    c.error ? h("p", { class: "banner error", role: "alert", "data-ui": "host-error" }, c.error) : null,
    m.ended ? h("p", { class: "banner calm", "data-ui": "ended" }, t("p_party_ended_dot")) : null,
    m.locked && !m.ended ? h("p", { class: "banner calm", "data-ui": "locked-note" }, t("p_locked_note")) : null,
    h("div", { class: live ? "host-grid" : "host-grid solo" },
      h("div", { class: "host-room" },
        m.ended || m.locked ? null : joinBlock(c),
        displayLink(c),
        m.ended && !m.tables ? null : tablesPanel(c),
        guestsPanel(c)),
      live ? h("div", { class: "host-controls", "aria-label": t("p_host_controls"), role: "region" },
        pacePanel(c), depthPanel(c), peoplePanel(c), endPanel(c)) : null));
}

/** One line of how the party is now: tables, guests, pause, round. */
function statusWords(c: Console): string {
  const t = c.t;
  const v = c.view as ConsoleView;
  const m = v.meta;
  const parts = [count(t, Object.keys(v.guests).length, "p_guests_n"),
    count(t, m.tables, "p_tables_n")];
  if (m.ended) return parts.join(" · ");
  if (m.paused) parts.push(t("p_all_paused"));
  const round = roundWords(t, m);
  const left = secondsLeft(m);
  if (round) parts.push(left !== null ? `${round} · ${clock(left)}` : round);
  return parts.join(" · ");
}

function joinBlock(c: Console): HTMLElement {
  const t = c.t;
  const url = joinLink(c.code);
  return h("section", { class: "panel join-block", "aria-label": t("p_how_to_join") },
    h("div", { class: "qr-wrap", "data-ui": "party-qr" }, qrSvg(url, t("p_qr_label", { code: c.code }))),
    h("div", null,
      h("p", { class: "hint" }, t("p_join_with_phone")),
      h("p", { class: "party-code mono", "data-ui": "party-code" }, c.code),
      link(c.code, "join-link mono")));
}

function displayLink(c: Console): Child {
  const key = saved.get("display", c.code);
  if (!key) return null;
  // The big screen speaks the host's language: the link says which.
  const url = new URL(`party#display=${c.code}.${key}&lang=${c.lang}`, location.href).href; // a prefix stays
  return h("p", { class: "display-link" },
    h("a", { class: "btn small", href: url, target: "_blank", rel: "noopener", "data-ui": "display-link" }, c.t("p_open_display")),
    h("span", { class: "hint" }, c.t("p_display_hint")));
}

function group(id: string, title: string, hint: string, ...children: Child[]): HTMLElement {
  return h("section", { class: `panel group group-${id}`, "aria-labelledby": `group-${id}`, "data-ui": `group-${id}` },
    h("h2", { id: `group-${id}` }, title),
    h("p", { class: "hint group-hint" }, hint),
    ...children);
}

function pacePanel(c: Console): HTMLElement {
  const t = c.t;
  return group("pace", t("p_group_pace"), t("p_group_pace_hint"),
    h("div", { class: "row" },
      button(c, "resume_all", { class: "btn primary", "data-ui": "resume-all", onclick: () => void c.act("resume_all") }, t("p_resume_all")),
      button(c, "pause_all", { class: "btn primary", "data-ui": "pause-all", onclick: () => void c.act("pause_all") }, t("p_pause_all"))),
    rounds(c));
}

function depthPanel(c: Console): HTMLElement {
  const t = c.t;
  const m = (c.view as ConsoleView).meta;
  const deck = c.decks.find((d) => d.id === m.deck);
  const fixedDeck = !can(c.view, "choose_deck");
  const levels = deck ? deck.levels.map((l) => text(l.name, c.lang)) : Array.from({ length: m.deck_levels }, (_, i) => t("p_level_n", { n: i + 1 }));
  return group("depth", t("p_group_depth"), t("p_group_depth_hint"),
    h("div", { class: "field" },
      h("label", { for: "deck" }, t("p_deck")),
      h("div", { class: "row wrap" },
        h("select", { id: "deck", "data-ui": "deck", "data-party-action": "choose_deck", disabled: fixedDeck, value: m.deck, onchange: (e: Event) => void c.act("choose_deck", { deck: (e.target as HTMLSelectElement).value }) },
          deck ? null : h("option", { value: m.deck }, m.deck_title ? text(m.deck_title, c.lang) : t("p_uploaded_deck")),
          c.decks.map((d) => h("option", { value: d.id }, text(d.title, c.lang)))),
        fixedDeck ? null : h("label", { class: "btn small quiet upload" }, t("p_upload_deck"),
          h("input", { type: "file", accept: ".json,application/json", class: "visually-hidden", "data-ui": "upload", "data-party-action": "choose_deck", onchange: (e: Event) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) void c.upload(file);
          } })))),
    h("div", { class: "field" },
      h("label", { for: "cap" }, t("p_deepest_allowed")),
      h("select", { id: "cap", "data-ui": "cap", "data-party-action": "set_level_cap", disabled: !can(c.view, "set_level_cap"), value: m.level_cap === null ? "" : String(m.level_cap),
        onchange: (e: Event) => {
          const raw = (e.target as HTMLSelectElement).value;
          void c.act("set_level_cap", { cap: raw === "" ? null : Number(raw) });
        } },
        h("option", { value: "" }, t("p_any_depth")),
        levels.map((name, i) => h("option", { value: String(i) }, `${i + 1}. ${name}`)))));
}

function peoplePanel(c: Console): HTMLElement {
  const t = c.t;
  const m = (c.view as ConsoleView).meta;
  return group("people", t("p_group_people"), t("p_group_people_hint"),
    h("div", { class: "check" },
      h("input", { type: "checkbox", id: "mixer", "data-ui": "mixer", "data-party-action": "set_mixer", disabled: !can(c.view, "set_mixer"), checked: m.mixer, onchange: (e: Event) => void c.act("set_mixer", { on: (e.target as HTMLInputElement).checked }) }),
      h("label", { for: "mixer" }, t("p_mixer"))),
    mixRow(c),
    pairByHand(c),
    h("div", { class: "row" },
      // one action both ways: the label says which way the room is now
      button(c, "lock", { class: "btn", "data-ui": "lock", onclick: () => void c.act("lock", { on: !m.locked }) }, m.locked ? t("p_unlock") : t("p_lock"))));
}

function endPanel(c: Console): Child {
  if (!can(c.view, "end_party")) return null;
  const t = c.t;
  return group("end", t("p_group_end"), t("p_group_end_hint"),
    c.confirming?.kind === "end" ? confirmPanel(c)
      : h("div", { class: "row" },
          button(c, "end_party", { class: "btn danger", "data-ui": "end-party", onclick: () => c.ask({ kind: "end" }) }, t("p_end_party"))));
}

function mixRow(c: Console): Child {
  const t = c.t;
  // Disabled rather than hidden, so the row does not jump as guests come and go; and
  // while the party is on, `mix` is refused only for want of two waiting guests.
  const waiting = can(c.view, "mix");
  return [
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn", "data-ui": "mix", "data-party-action": "mix", disabled: !waiting, "aria-describedby": waiting ? null : "mix-why",
        onclick: () => void c.act("mix") }, t("p_mix")),
      // `legal` is listed without fields, and the engine judges `mix` as for waiting
      // guests only: it cannot say whether re-pairing everyone would be refused (a round
      // running, fewer than two guests). This one is offered with the panel, and a
      // refusal comes back in words, as before.
      h("button", { type: "button", class: "btn", "data-ui": "remix", "data-party-action": "mix", "data-fields": "everyone", onclick: () => void c.act("mix", { everyone: true }) }, t("p_remix"))),
    waiting ? null : h("p", { class: "hint", id: "mix-why", "data-ui": "mix-why" }, partyWords("party/nobody_to_pair", true, c.lang)),
  ];
}

function pairByHand(c: Console): HTMLElement {
  const t = c.t;
  const v = c.view as ConsoleView;
  const free = Object.entries(v.guests).filter(([, g]) => !g.table);
  const pick = (id: string, which: "pairA" | "pairB") => {
    const label = which === "pairA" ? t("p_first_guest") : t("p_second_guest");
    return h("select", { id, "data-ui": id, "aria-label": label, value: c[which], onchange: (e: Event) => { c[which] = (e.target as HTMLSelectElement).value; } },
      h("option", { value: "" }, label),
      free.map(([gid, g]) => h("option", { value: gid }, g.name)));
  };
  return h("div", { class: "field" },
    h("label", { for: "pair-a" }, t("p_pair_by_hand")),
    h("div", { class: "row wrap" }, pick("pair-a", "pairA"), pick("pair-b", "pairB"),
      button(c, "pair_guests", { class: "btn small", "data-ui": "pair", onclick: () => void c.act("pair_guests", { first: c.pairA, second: c.pairB }) }, t("p_pair"))));
}

function rounds(c: Console): HTMLElement {
  const t = c.t;
  const m = (c.view as ConsoleView).meta;
  const setting = can(c.view, "set_rounds");
  // "Start a round" first sets the length when it changed (or turns rounds on), then
  // starts: it asks for `start_round` when that is legal, else (rounds off) for
  // `set_rounds`, and the start that follows is then legal. While a round runs it is
  // disabled, and the countdown below says why.
  const first = can(c.view, "start_round") ? "start_round" : m.round.seconds === null && setting ? "set_rounds" : null;
  const left = secondsLeft(m);
  const round = roundWords(t, m);
  return h("div", { class: "field" },
    h("label", { for: "round-seconds" }, t("p_rounds_seconds")),
    h("div", { class: "row wrap" },
      h("input", { id: "round-seconds", type: "number", min: "10", step: "10", "data-ui": "round-seconds", "data-party-action": "set_rounds", disabled: !setting, value: String(m.round.seconds ?? c.roundSeconds),
        oninput: (e: Event) => { c.roundSeconds = Number((e.target as HTMLInputElement).value); } }),
      h("button", { type: "button", class: "btn small", "data-ui": "start-round", "data-party-action": first ?? "start_round", disabled: first === null, onclick: async () => {
        if (m.round.seconds !== c.roundSeconds) await c.act("set_rounds", { seconds: c.roundSeconds });
        if (!c.error) await c.act("start_round");
      } }, t("p_start_round")),
      m.round.seconds !== null ? button(c, "set_rounds", { class: "btn small quiet", "data-ui": "rounds-off", onclick: () => void c.act("set_rounds", { seconds: null }) }, t("p_rounds_off")) : null),
    round ? h("p", { class: "round", "data-ui": "round" }, round,
      left !== null ? [" ", h("span", { class: "mono", "data-ui": "countdown" }, clock(left))] : null) : null);
}

function tablesPanel(c: Console): HTMLElement {
  const t = c.t;
  const v = c.view as ConsoleView;
  const rows = Object.entries(v.tables).sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)));
  return h("section", { class: "panel room-tables", "aria-labelledby": "tables-title" },
    h("h2", { id: "tables-title" }, t("p_tables_count", { n: rows.length })),
    rows.length || v.meta.ended ? null : h("p", { class: "hint" }, t("p_no_tables_yet")),
    h("ul", { class: "tables", "data-ui": "tables" }, rows.map(([tid, e]) =>
      h("li", { class: `table-row lv${(e.level ?? 0) % 6}`, "data-key": tid, "data-table": tid },
        h("span", { class: "name" }, (e.guests ?? []).map((g) => v.guests[g]?.name ?? "?").join(" & ")),
        h("span", { class: "chip level-chip" }, e.stage === "playing" || e.stage === undefined ? t("p_level_n", { n: (e.level ?? 0) + 1 }) : t(e.stage === "ended" ? "p_stage_ended" : "p_stage_lobby")),
        h("span", { class: "chip", "data-ui": "done" }, t("p_done_n", { n: e.completed ?? 0 })),
        e.needs_moment ? h("span", { class: "chip accent", "data-ui": "needs-moment" }, t("p_needs_moment")) : null))));
}

function guestsPanel(c: Console): HTMLElement {
  const t = c.t;
  const v = c.view as ConsoleView;
  // Who still waits for a partner comes first: they are the ones a host looks for.
  const rows = Object.entries(v.guests).sort(([, a], [, b]) => Number(Boolean(a.table)) - Number(Boolean(b.table)));
  const waiting = rows.filter(([, g]) => !g.table).length;
  return h("section", { class: "panel room-guests", "aria-labelledby": "guests-title" },
    h("h2", { id: "guests-title" }, t("p_guests_count", { n: rows.length })),
    rows.length ? null : h("p", { class: "hint" }, t("p_no_guests_yet")),
    waiting && !v.meta.ended ? h("p", { class: "hint", "data-ui": "waiting-count" }, t("p_waiting_n", { n: waiting })) : null,
    h("ul", { class: "guests", "data-ui": "guests" }, rows.map(([gid, g]) =>
      h("li", { class: "guest-row", "data-key": gid, "data-guest": g.name },
        c.confirming && c.confirming.kind !== "end" && c.confirming.guest === gid && can(v, ASKED[c.confirming.kind]) ? confirmPanel(c) : null,
        h("span", { class: "name" }, g.name),
        h("span", { class: "hint" }, whereIs(c, gid)),
        g.host ? h("span", { class: "chip", "data-ui": "is-host" }, t("p_is_host")) : h("span", { class: "row tight guest-actions" },
          button(c, "hand_host", { class: "btn small quiet", "data-ui": "make-host", onclick: () => c.ask({ kind: "hand", guest: gid, name: g.name }) }, t("p_make_host")),
          button(c, "remove_guest", { class: "btn small danger", "data-ui": "remove", onclick: () => c.ask({ kind: "remove", guest: gid, name: g.name }) }, t("p_remove")))))));
}

/** Where a guest is, in words: with whom, never a table's internal id. */
function whereIs(c: Console, gid: string): string {
  const v = c.view as ConsoleView;
  const g = v.guests[gid];
  if (v.meta.ended) return ""; // the party is over: nobody waits for anything
  if (!g?.table) return g?.looking ? c.t("p_where_looking") : c.t("p_where_waiting");
  const mate = v.tables[g.table]?.guests?.find((other) => other !== gid);
  const name = mate ? v.guests[mate]?.name : undefined;
  return name ? c.t("p_where_with", { name }) : c.t("p_where_table");
}

// What each confirmation asks for, once confirmed.
const ASKED = { end: "end_party", remove: "remove_guest", hand: "hand_host" } as const;

function confirmPanel(c: Console): Child {
  const t = c.t;
  const what = c.confirming;
  if (!what) return null;
  const [question, yes] = what.kind === "end"
    ? [t("p_confirm_end"), t("p_end_party")]
    : what.kind === "remove"
      ? [c.view?.guests[what.guest]?.table ? t("p_confirm_remove_table", { name: what.name }) : t("p_confirm_remove", { name: what.name }),
         t("p_remove_name", { name: what.name })]
      : [t("p_confirm_hand", { name: what.name }), t("p_make_name_host", { name: what.name })];
  return h("section", { class: "banner confirm", role: "alertdialog", "aria-labelledby": "confirm-q", "data-ui": `confirm-${what.kind}`, "data-key": "confirm" },
    h("p", { id: "confirm-q" }, question),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn danger", "data-ui": "confirm-yes", "data-party-action": ASKED[what.kind], onclick: () => void c.confirmed() }, yes),
      h("button", { type: "button", class: "btn quiet", "data-ui": "confirm-no", onclick: () => c.ask(null) }, t("p_cancel"))));
}
