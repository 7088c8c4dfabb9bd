// The host console and the big-screen display: one snapshot, then per-table deltas.
// Neither ever receives a table's typed answers, passes or boundaries: only each
// table's level, progress and "needs a moment".

import { h, type Child } from "../dom";
import { qrSvg } from "../ui/invite";
import { applyDelta, can, clock, joinLink, saved, secondsLeft, type ConsoleView } from "./model";
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

  constructor(readonly code: string, readonly role: Role, token: string, private render: () => void) {
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
    if (m.t === "party") this.view = m.view as ConsoleView;
    else if (m.t === "party_delta" && this.view) this.view = applyDelta(this.view, m);
    else if (m.t === "party_closed") this.stopped = String(m.reason);
    this.render();
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
    this.error = replyWords(reply, true);
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
    const token = saved.get("host", this.code) ?? "";
    const res = await fetch(`api/parties/${this.code}/deck`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: await file.text(),
    });
    let body: Msg = {};
    try {
      body = (await res.json()) as Msg;
    } catch {
      body = { error: `http/${res.status}` };
    }
    this.error = res.ok ? "" : deckProblems(body);
    this.render();
  }
}

function deckProblems(body: Msg): string {
  const problems = (body.problems ?? []) as Msg[];
  if (!problems.length) return `The deck was refused: ${partyWords(String(body.error ?? ""))}`;
  const first = problems[0];
  const where = first.line ? ` (line ${String(first.line)})` : "";
  return `The deck was refused: ${String(first.message)}${where}.`;
}

function text(value: Record<string, string> | string, lang = "en"): string {
  return typeof value === "string" ? value : value[lang] ?? Object.values(value)[0] ?? "";
}

// --- shared pieces -------------------------------------------------------------------
function joinBlock(code: string, big: boolean): HTMLElement {
  const link = joinLink(code);
  return h("section", { class: big ? "join-block big-join" : "join-block", "aria-label": "How to join" },
    h("p", { class: "hint" }, "Join with your phone"),
    h("p", { class: "party-code mono", "data-ui": "party-code" }, code),
    h("div", { class: "qr-wrap", "data-ui": "party-qr" }, qrSvg(link, `QR code for ${link}`)),
    h("p", { class: "join-link mono", "data-ui": "party-link" }, link));
}

function roundLine(c: Console): Child {
  const meta = c.view?.meta;
  if (!meta || meta.round.seconds === null) return null;
  const left = secondsLeft(meta);
  if (left === null)
    return h("p", { class: "round", "data-ui": "round" }, meta.round.no ? `Round ${meta.round.no} is over` : "Timed rounds are on");
  return h("p", { class: "round", "data-ui": "round" }, `Round ${meta.round.no}: `, h("span", { class: "mono", "data-ui": "countdown" }, clock(left)));
}

function capLine(c: Console): string {
  const meta = c.view?.meta;
  if (!meta || meta.level_cap === null) return "Any depth";
  return `Deepest level: ${meta.level_cap + 1} of ${meta.deck_levels}`;
}

function stoppedScreen(c: Console): HTMLElement {
  const heir = c.view?.meta.host;
  const why: Record<string, string> = {
    replaced: "The host role moved to someone else, or this console was opened elsewhere.",
    removed: "This party has ended.",
    host_handed: heir ? `You handed the host role to ${heir}. Thank you for hosting.` : "You handed the host role to a co-host.",
    ended: "The party has ended.",
  };
  const title = c.role === "display" ? "The big screen is closed" : "Party console closed";
  // A refusal that is not final (too many tries, a server fault) says so and offers
  // another try; only a wrong or spent link "no longer opens the party".
  const known = why[c.stopped ?? ""];
  const spent = c.stopped === "join/failed" || c.stopped === "party/ended";
  return h("div", { class: "screen calm-panel", "data-screen": "party-stopped", "data-reason": c.stopped ?? "" },
    h("h1", null, title),
    h("p", { class: "big", "data-ui": "stopped-why" },
      known ?? (spent ? `${partyWords(c.stopped ?? "")} This link no longer opens the party.` : partyWords(c.stopped ?? ""))),
    known || spent ? null
      : h("button", { type: "button", class: "btn primary", "data-ui": "try-again", onclick: () => location.reload() }, "Try again"));
}

// --- the display -----------------------------------------------------------------------
export function displayScreen(c: Console): HTMLElement {
  if (c.stopped && c.stopped !== "ended") return stoppedScreen(c);
  const v = c.view;
  if (!v) return h("div", { class: "screen", "data-screen": "connecting" }, h("p", { class: "big" }, c.online ? "Opening the party..." : "Connecting..."));
  const m = v.meta;
  // An ended party takes the whole screen, and advertises nothing.
  if (m.ended)
    return h("div", { class: "screen display takeover", "data-screen": "party-display" },
      h("h1", { "data-ui": "ended" }, "The party has ended"),
      h("p", { class: "big" }, "Thank you for coming."));
  const guests = Object.values(v.guests);
  return h("div", { class: "screen display", "data-screen": "party-display" },
    h("h1", null, "Closeknit party"),
    c.online ? null : h("p", { class: "banner warn", role: "status" }, "Reconnecting..."),
    m.paused ? h("p", { class: "banner warn big", "data-ui": "paused" }, "All tables are taking a pause.") : null,
    m.locked
      ? h("p", { class: "banner calm big", "data-ui": "locked" }, "This party is not taking new guests.")
      : joinBlock(m.code, true),
    h("div", { class: "display-facts" },
      h("p", { "data-ui": "table-count" }, `${m.tables} ${m.tables === 1 ? "table" : "tables"}`),
      h("p", { "data-ui": "cap" }, capLine(c)),
      roundLine(c)),
    h("h2", null, `${guests.length} joined`),
    h("ul", { class: "guest-chips", "data-ui": "guests" }, guests.map((g) => h("li", { class: "chip" }, g.name))));
}

// --- the host console ---------------------------------------------------------------------
// Every control is offered from the view's `legal` (docs/party.md): a button whose action
// is not legal now is not shown (as on the couple page), a field is disabled. Each
// control names the action it asks for in `data-party-action` (tests read it).

// The actions of the controls panel: while none is legal (the party has ended), no panel.
const PANEL = ["pause_all", "resume_all", "lock", "end_party", "choose_deck", "set_level_cap",
  "set_mixer", "mix", "pair_guests", "set_rounds", "start_round"];

function button(c: Console, action: string, attrs: Record<string, unknown>, label: string): Child {
  return can(c.view, action) ? h("button", { type: "button", "data-party-action": action, ...attrs }, label) : null;
}

export function hostScreen(c: Console): HTMLElement {
  if (c.stopped) return stoppedScreen(c);
  const v = c.view;
  if (!v) return h("div", { class: "screen", "data-screen": "connecting" }, h("p", { class: "big" }, "Connecting..."));
  const m = v.meta;
  return h("div", { class: "screen host", "data-screen": "party-host" },
    h("h1", null, `Party ${m.code}`),
    c.online ? null : h("p", { class: "banner warn" }, "Reconnecting..."),
    c.error ? h("p", { class: "banner error", role: "alert", "data-ui": "host-error" }, c.error) : null,
    m.ended ? h("p", { class: "banner calm", "data-ui": "ended" }, "The party has ended.") : null,
    m.locked && !m.ended ? h("p", { class: "banner calm", "data-ui": "locked-note" }, "The room is locked: nobody new can join. Unlock it to let guests in.") : null,
    m.ended || m.locked ? null : joinBlock(m.code, false),
    displayLink(c),
    PANEL.some((a) => can(v, a)) ? controls(c) : null,
    tablesPanel(c),
    guestsPanel(c));
}

function displayLink(c: Console): Child {
  const key = saved.get("display", c.code);
  if (!key) return null;
  const url = new URL(`party#display=${c.code}.${key}`, location.href).href; // a prefix stays
  return h("p", { class: "hint" }, "Big screen: ", h("a", { href: url, target: "_blank", rel: "noopener", "data-ui": "display-link" }, "open the display"));
}

function controls(c: Console): HTMLElement {
  const m = (c.view as ConsoleView).meta;
  const deck = c.decks.find((d) => d.id === m.deck);
  const fixedDeck = !can(c.view, "choose_deck");
  const levels = deck ? deck.levels.map((l) => text(l.name)) : Array.from({ length: m.deck_levels }, (_, i) => `Level ${i + 1}`);
  return h("section", { class: "panel controls", "aria-label": "Host controls" },
    h("div", { class: "row" },
      button(c, "resume_all", { class: "btn primary", "data-ui": "resume-all", onclick: () => void c.act("resume_all") }, "Resume all tables"),
      button(c, "pause_all", { class: "btn primary", "data-ui": "pause-all", onclick: () => void c.act("pause_all") }, "Pause all tables"),
      // one action both ways: the label says which way the room is now
      button(c, "lock", { class: "btn", "data-ui": "lock", onclick: () => void c.act("lock", { on: !m.locked }) }, m.locked ? "Unlock the room" : "Lock the room"),
      button(c, "end_party", { class: "btn danger", "data-ui": "end-party", onclick: () => c.ask({ kind: "end" }) }, "End the party")),
    c.confirming?.kind === "end" && can(c.view, "end_party") ? confirmPanel(c) : null,
    h("div", { class: "field" },
      h("label", { for: "deck" }, "Deck"),
      h("div", { class: "row" },
        h("select", { id: "deck", "data-ui": "deck", "data-party-action": "choose_deck", disabled: fixedDeck, value: m.deck, onchange: (e: Event) => void c.act("choose_deck", { deck: (e.target as HTMLSelectElement).value }) },
          deck ? null : h("option", { value: m.deck }, m.deck_title ? text(m.deck_title) : "Your uploaded deck"),
          c.decks.map((d) => h("option", { value: d.id }, text(d.title)))),
        fixedDeck ? null : h("label", { class: "btn small quiet upload" }, "Upload a deck",
          h("input", { type: "file", accept: ".json,application/json", class: "visually-hidden", "data-ui": "upload", "data-party-action": "choose_deck", onchange: (e: Event) => {
            const file = (e.target as HTMLInputElement).files?.[0];
            if (file) void c.upload(file);
          } })))),
    h("div", { class: "field" },
      h("label", { for: "cap" }, "Deepest level allowed"),
      h("select", { id: "cap", "data-ui": "cap", "data-party-action": "set_level_cap", disabled: !can(c.view, "set_level_cap"), value: m.level_cap === null ? "" : String(m.level_cap),
        onchange: (e: Event) => {
          const raw = (e.target as HTMLSelectElement).value;
          void c.act("set_level_cap", { cap: raw === "" ? null : Number(raw) });
        } },
        h("option", { value: "" }, "Any depth"),
        levels.map((name, i) => h("option", { value: String(i) }, `${i + 1}. ${name}`)))),
    h("div", { class: "check" },
      h("input", { type: "checkbox", id: "mixer", "data-ui": "mixer", "data-party-action": "set_mixer", disabled: !can(c.view, "set_mixer"), checked: m.mixer, onchange: (e: Event) => void c.act("set_mixer", { on: (e.target as HTMLInputElement).checked }) }),
      h("label", { for: "mixer" }, "Mixer: I pair the guests")),
    mixRow(c),
    pairByHand(c),
    rounds(c));
}

function mixRow(c: Console): Child {
  // Disabled rather than hidden, so the row does not jump as guests come and go; and
  // while the party is on, `mix` is refused only for want of two waiting guests.
  const waiting = can(c.view, "mix");
  return [
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn", "data-ui": "mix", "data-party-action": "mix", disabled: !waiting, "aria-describedby": waiting ? null : "mix-why",
        onclick: () => void c.act("mix") }, "Pair waiting guests at random"),
      // `legal` is listed without fields, and the engine judges `mix` as for waiting
      // guests only: it cannot say whether re-pairing everyone would be refused (a round
      // running, fewer than two guests). This one is offered with the panel, and a
      // refusal comes back in words, as before.
      h("button", { type: "button", class: "btn", "data-ui": "remix", "data-party-action": "mix", "data-fields": "everyone", onclick: () => void c.act("mix", { everyone: true }) }, "Re-pair everyone")),
    waiting ? null : h("p", { class: "hint", id: "mix-why", "data-ui": "mix-why" }, partyWords("party/nobody_to_pair", true)),
  ];
}

function pairByHand(c: Console): HTMLElement {
  const v = c.view as ConsoleView;
  const free = Object.entries(v.guests).filter(([, g]) => !g.table);
  const pick = (id: string, which: "pairA" | "pairB") =>
    h("select", { id, "data-ui": id, "aria-label": which === "pairA" ? "First guest" : "Second guest", value: c[which], onchange: (e: Event) => { c[which] = (e.target as HTMLSelectElement).value; } },
      h("option", { value: "" }, which === "pairA" ? "First guest" : "Second guest"),
      free.map(([gid, g]) => h("option", { value: gid }, g.name)));
  return h("div", { class: "field" },
    h("label", { for: "pair-a" }, "Pair by hand"),
    h("div", { class: "row wrap" }, pick("pair-a", "pairA"), pick("pair-b", "pairB"),
      button(c, "pair_guests", { class: "btn small", "data-ui": "pair", onclick: () => void c.act("pair_guests", { first: c.pairA, second: c.pairB }) }, "Pair")));
}

function rounds(c: Console): HTMLElement {
  const m = (c.view as ConsoleView).meta;
  const setting = can(c.view, "set_rounds");
  // "Start a round" first sets the length when it changed (or turns rounds on), then
  // starts: it asks for `start_round` when that is legal, else (rounds off) for
  // `set_rounds`, and the start that follows is then legal. While a round runs it is
  // disabled, and the countdown below says why.
  const first = can(c.view, "start_round") ? "start_round" : m.round.seconds === null && setting ? "set_rounds" : null;
  return h("div", { class: "field" },
    h("label", { for: "round-seconds" }, "Timed rounds (seconds)"),
    h("div", { class: "row wrap" },
      h("input", { id: "round-seconds", type: "number", min: "10", step: "10", "data-ui": "round-seconds", "data-party-action": "set_rounds", disabled: !setting, value: String(m.round.seconds ?? c.roundSeconds),
        oninput: (e: Event) => { c.roundSeconds = Number((e.target as HTMLInputElement).value); } }),
      h("button", { type: "button", class: "btn small", "data-ui": "start-round", "data-party-action": first ?? "start_round", disabled: first === null, onclick: async () => {
        if (m.round.seconds !== c.roundSeconds) await c.act("set_rounds", { seconds: c.roundSeconds });
        if (!c.error) await c.act("start_round");
      } }, "Start a round"),
      m.round.seconds !== null ? button(c, "set_rounds", { class: "btn small quiet", "data-ui": "rounds-off", onclick: () => void c.act("set_rounds", { seconds: null }) }, "Rounds off") : null),
    roundLine(c));
}

function tablesPanel(c: Console): HTMLElement {
  const v = c.view as ConsoleView;
  const rows = Object.entries(v.tables).sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)));
  return h("section", { class: "panel", "aria-label": "Tables" },
    h("h2", null, `Tables (${rows.length})`),
    h("ul", { class: "tables", "data-ui": "tables" }, rows.map(([tid, t]) =>
      h("li", { class: "table-row", "data-key": tid, "data-table": tid },
        h("span", { class: "name" }, t.guests.map((g) => v.guests[g]?.name ?? "?").join(" & ")),
        h("span", { class: "chip" }, t.stage === "playing" || t.stage === undefined ? `Level ${(t.level ?? 0) + 1}` : t.stage),
        h("span", { class: "chip", "data-ui": "done" }, `${t.completed ?? 0} done`),
        t.needs_moment ? h("span", { class: "chip accent", "data-ui": "needs-moment" }, "needs a moment") : null))));
}

function guestsPanel(c: Console): HTMLElement {
  const v = c.view as ConsoleView;
  return h("section", { class: "panel", "aria-label": "Guests" },
    h("h2", null, `Guests (${Object.keys(v.guests).length})`),
    h("ul", { class: "guests", "data-ui": "guests" }, Object.entries(v.guests).map(([gid, g]) =>
      h("li", { class: "guest-row", "data-key": gid, "data-guest": g.name },
        c.confirming && c.confirming.kind !== "end" && c.confirming.guest === gid && can(v, ASKED[c.confirming.kind]) ? confirmPanel(c) : null,
        h("span", { class: "name" }, g.name),
        h("span", { class: "hint" }, whereIs(v, gid)),
        button(c, "hand_host", { class: "btn small quiet", "data-ui": "make-host", onclick: () => c.ask({ kind: "hand", guest: gid, name: g.name }) }, "Make host"),
        button(c, "remove_guest", { class: "btn small danger", "data-ui": "remove", onclick: () => c.ask({ kind: "remove", guest: gid, name: g.name }) }, "Remove")))));
}

/** Where a guest is, in words: with whom, never a table's internal id. */
function whereIs(v: ConsoleView, gid: string): string {
  const g = v.guests[gid];
  if (!g?.table) return g?.looking ? "looking for a partner" : "waiting";
  const mate = v.tables[g.table]?.guests.find((other) => other !== gid);
  const name = mate ? v.guests[mate]?.name : undefined;
  return name ? `at a table with ${name}` : "at a table";
}

// What each confirmation asks for, once confirmed.
const ASKED = { end: "end_party", remove: "remove_guest", hand: "hand_host" } as const;

function confirmPanel(c: Console): Child {
  const what = c.confirming;
  if (!what) return null;
  const [question, yes] = what.kind === "end"
    ? ["End the party for everyone? Every table closes, and nothing anyone typed is kept.", "End the party"]
    : what.kind === "remove"
      ? [c.view?.guests[what.guest]?.table
          ? `Remove ${what.name} from the party? Their table closes, and their partner is paired with someone new.`
          : `Remove ${what.name} from the party?`, `Remove ${what.name}`]
      : [`Hand the host role to ${what.name}? This console closes, and ${what.name} can open it on their phone.`, `Make ${what.name} the host`];
  return h("section", { class: "banner confirm", role: "alertdialog", "aria-labelledby": "confirm-q", "data-ui": `confirm-${what.kind}`, "data-key": "confirm" },
    h("p", { id: "confirm-q" }, question),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn danger", "data-ui": "confirm-yes", "data-party-action": ASKED[what.kind], onclick: () => void c.confirmed() }, yes),
      h("button", { type: "button", class: "btn quiet", "data-ui": "confirm-no", onclick: () => c.ask(null) }, "Cancel")));
}
