// The controller: turns server messages into state, user intents into messages, and
// re-renders. Screens only read the state and call these functions.

import { errorText, pickLang, translator, type Lang, type T } from "./i18n";
import { Connection, type HelloMode, type Msg, type Stop } from "./net";
import { hooks } from "./hooks";
import { drafts } from "./platform/drafts";
import { openDeck } from "./open-deck";
import { ecdhPair, isSealed, keyOk, newKey, open, seal, tableKey, unwrapWith, wrapFor, type Field, type Pair } from "./seal";
import { initialState, roomKeys, seats, tablePairs, type Knock, type State } from "./state";
import type { DailyView, DeckInfo, DeckListing, View } from "./types";

export interface CreateForm {
  deck: string;
  language: string;
  lightMode: boolean;
  name: string;
}

const TYPING_REFRESH_MS = 3000;
const TYPING_IDLE_MS = 4000;
const PARTNER_TYPING_STALE_MS = 8000;
const BACK_NOTICE_MS = 5000;
const KNOCK_TIMEOUT_MS = 120_000;
// A knock nobody answers for this long: say what may be wrong, keep waiting.
const KNOCK_SLOW_MS = 6000;
const STATE_AFTER_ACK_MS = 5000;
// The typed texts a move carries, and the field each is sealed as (docs/protocol.md).
const SEALED_FIELDS: Record<string, Field> = { done_speaking: "answer", reflect: "reflection", write_reveal: "reveal" };

export class App {
  s: State;
  /** A party's table: the host runs the room, so no invite and no "delete our room". */
  party = false;
  /** One phone, side by side (issue 21): this page holds both seats, one App each. */
  onePhone = false;
  /** Where this seat's token is kept (the one-phone page keeps seat 1's apart). */
  store: { get(room: string): string | null; set(room: string, token: string): void; forget(room: string): void } = seats;
  /** Drafts are this seat's own: on one phone the two seats' drafts never meet. */
  scope = "";
  private conn: Connection | null = null;
  private partnerSeen = false; // the partner was online at least once on this page
  private renderFn: () => void = () => {};
  private typingSentAt = 0;
  private typingIdle: number | undefined;
  private partnerTypingTimer: number | undefined;
  private errorTimer: number | undefined;
  private autoLanguage: string | null = null;
  private awaiting = new Map<string, number>(); // acked actions whose state is on its way
  private knockSlowTimer: number | undefined;
  private opening: Promise<void> = Promise.resolve(); // sealed views open in order
  private knockPair: Pair | null = null; // a knock's ECDH key pair (issue 20)
  private wraps = new Map<string, Promise<unknown>>(); // the room key being wrapped, per knock

  constructor(lang: Lang) {
    this.s = initialState(lang);
  }

  onRender(fn: () => void): void {
    this.renderFn = fn;
  }

  render(): void {
    this.renderFn();
  }

  /** The interface language: the seat's own (its cards' language) once in a room, but
   * the player's own choice where the deck does not come in it (the cards then come in
   * one the deck has, the interface stays in the player's). */
  lang(): Lang {
    const v = this.s.view ?? this.s.daily;
    if (!v) return this.s.lang;
    const deck = this.s.view?.deck ?? this.s.deck;
    return deck?.languages.includes(this.s.lang) ? pickLang(v.seats[v.you]?.language) : this.s.lang;
  }

  /** The version of the view this page shows (a live room's or a daily space's). */
  version(): number | null {
    return (this.s.view ?? this.s.daily)?.version ?? null;
  }

  t(): T {
    return translator(this.lang());
  }

  // --- start-up and routing ----------------------------------------------------------
  boot(): void {
    const hash = new URLSearchParams(location.hash.slice(1));
    const join = hash.get("join");
    const room = hash.get("room");
    const code = hash.get("code");
    // The room key (an invite link, or a link the partner shared again): kept beside the
    // seat, and out of the address bar and history at once.
    this.takeKey();
    if (join && join.includes(".")) {
      const [r, secret] = join.split(".", 2);
      const token = seats.get(r);
      if (token) this.enterRoom(r, { room: r, token });
      else {
        this.s.invite = { room: r, secret };
        this.s.route = "name";
      }
    } else if (room && seats.get(room)) {
      this.enterRoom(room, { room, token: seats.get(room) as string });
    } else if (code && seats.get(code.toUpperCase())) {
      // A seat's own room link (shared again for its key): back into the room.
      const r = code.toUpperCase();
      history.replaceState(null, "", `#room=${encodeURIComponent(r)}`);
      this.enterRoom(r, { room: r, token: seats.get(r) as string });
    } else {
      if (code) this.s.prefillCode = code.toUpperCase();
      this.s.route = "start";
    }
    void this.loadDecks();
    this.render();
    // A link opened over this page (the same address, another fragment) does not load
    // the page again: one carrying a room key starts it afresh, the key kept, as above.
    window.addEventListener("hashchange", () => {
      if (new URLSearchParams(location.hash.slice(1)).has("key")) {
        this.takeKey();
        location.reload();
      }
    });
  }

  /** Keeps the fragment's room key beside the seat and takes it out of the address. */
  private takeKey(): void {
    const hash = new URLSearchParams(location.hash.slice(1));
    const key = hash.get("key");
    if (key === null) return;
    const target = hash.get("join")?.split(".")[0] || hash.get("room") || hash.get("code")?.toUpperCase();
    if (target && keyOk(key)) roomKeys.set(target, key);
    hash.delete("key");
    history.replaceState(null, "", `${location.pathname}${location.search}#${hash.toString()}`);
  }

  async loadDecks(): Promise<void> {
    try {
      const res = await fetch("api/decks", { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(String(res.status));
      this.s.decks = (await res.json()) as DeckListing[];
    } catch {
      if (this.s.route === "start") this.fail(this.t()("load_failed"));
    }
    this.render();
  }

  /** ``daily``: a daily space's settings (issue 22; ui/start.ts createDaily). */
  async createRoom(form: CreateForm, daily?: Record<string, unknown>): Promise<void> {
    this.s.busy = true;
    this.s.error = null;
    this.render();
    try {
      const key = newKey(); // the room key: this browser's and the partner's, never the server's
      // A daily space always deals light before deep, and never repeats inside itself:
      // no light mode, no played cards; its day is the browser's zone, from 04:00.
      const settings = daily ?? { light_mode: form.lightMode };
      if (form.language) settings.language = form.language;
      if (form.name.trim()) settings.name = form.name.trim();
      // A device that remembers tells the new room which cards were played (src/memory.ts).
      const played = daily ? [] : hooks.played?.(form.deck, this.s.decks.find((d) => d.id === form.deck)?.version) ?? [];
      if (played.length) settings.played = played;
      const res = await fetch("api/rooms", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ deck: form.deck, kind: daily && "daily", settings }),
      });
      const body = (await res.json()) as Record<string, string>;
      if (!res.ok) throw new Error(body.error ?? "");
      seats.set(body.code, body.token);
      roomKeys.set(body.code, key);
      this.s.inviteUrl = `${body.invite_url}&key=${key}`;
      this.enterRoom(body.code, { room: body.code, token: body.token });
    } catch (e) {
      const code = e instanceof Error ? e.message : "";
      this.fail(code ? errorText(this.lang(), code, this.t()("error_generic")) : this.t()("load_failed"));
    } finally {
      this.s.busy = false;
      this.render();
    }
  }

  joinWithInvite(name: string): void {
    const inv = this.s.invite;
    if (!inv || !this.nameOk(name)) return;
    this.autoLanguage = this.s.lang;
    this.enterRoom(inv.room, { room: inv.room, invite: inv.secret, name: name.trim() });
  }

  knock(code: string, name: string): void {
    const room = code.trim().toUpperCase().replace(/[^A-Z0-9]/g, "");
    if (!room || !this.nameOk(name)) return;
    this.autoLanguage = this.s.lang;
    this.s.route = "knocking";
    this.s.room = room;
    this.s.prefillName = name.trim(); // kept for another try if nobody answers
    this.s.knockSlow = false;
    clearTimeout(this.knockSlowTimer);
    this.knockSlowTimer = window.setTimeout(() => {
      this.s.knockSlow = true;
      this.render();
    }, KNOCK_SLOW_MS);
    this.render();
    // An ephemeral key pair, so the creator's page can hand over the room key.
    void ecdhPair().catch(() => null).then((pair) => {
      if (this.s.route !== "knocking" || this.s.room !== room) return;
      this.knockPair = pair;
      this.connect({ room, knock: true, name: name.trim(), ...(pair ? { pub: pair.pub } : {}) });
    });
  }

  cancelKnock(): void {
    this.conn?.stop();
    this.conn = null;
    clearTimeout(this.knockSlowTimer);
    this.s.prefillCode = this.s.room ?? "";
    this.s.route = "start";
    this.s.stop = null;
    this.render();
  }

  private nameOk(name: string): boolean {
    const ok = name.trim().length > 0 && name.trim().length <= 40;
    if (!ok) this.fail(errorText(this.lang(), "name/invalid", this.t()("error_generic")));
    return ok;
  }

  enterRoom(room: string, hello: HelloMode): void {
    this.s.room = room;
    this.s.route = "room";
    this.s.stop = null;
    this.connect(hello);
  }

  private connect(hello: HelloMode): void {
    this.conn?.stop();
    this.conn = new Connection(hello, {
      onMessage: (m) => this.onMessage(m),
      onStatus: (st) => {
        this.s.status = st;
        if (st === "open") this.s.everOpen = true;
        this.render();
      },
      onStop: (reason, detail) => this.onStop(reason, detail),
      onToken: (room, token) => this.onToken(room, token),
      lastVersion: () => this.version(),
    });
    this.conn.start();
  }

  private onToken(room: string, token: string): void {
    this.store.set(room, token);
    this.s.room = room;
    this.s.route = "room";
    // The invite secret is spent: the address now names only the room.
    history.replaceState(null, "", `#room=${encodeURIComponent(room)}`);
  }

  private onStop(reason: Stop, detail?: string): void {
    clearTimeout(this.knockSlowTimer);
    if (reason === "bad_request") {
      this.conn?.stop();
      this.conn = null;
      this.s.route = this.s.invite ? "name" : "start";
      this.fail(errorText(this.lang(), "name/invalid", this.t()("error_generic")));
      return;
    }
    if (reason === "declined") {
      this.conn?.stop();
      this.conn = null;
      this.s.route = "start";
      this.s.prefillCode = this.s.room ?? "";
      // The server says "timeout" when nobody answered: nobody said no.
      this.fail(this.t()(detail === "declined" ? "knock_declined" : "knock_unanswered"));
      return;
    }
    if (reason === "deleted" || reason === "join_failed" || reason === "seat_taken") {
      if (this.s.room) this.store.forget(this.s.room);
      if (reason !== "deleted") this.s.view = null;
    }
    this.s.stop = reason;
    this.s.route = "stopped";
    this.render();
  }

  // --- server messages -----------------------------------------------------------------
  private onMessage(m: Msg): void {
    switch (m.t) {
      case "welcome":
        // Seat 0 gets the invite again while the partner has not arrived (after a reload).
        // The server's own address for links (PUBLIC_URL) came with the room's creation:
        // keep it; after a reload, this page's address is all there is.
        this.s.sealed = m.sealed === true;
        // A sealed party table: its two guests agree on its key here (issue 20).
        if (this.party && this.s.sealed) this.tableKx(String(m.room), Number(m.seat), null);
        if (typeof m.invite === "string" && m.invite) {
          const base = this.s.inviteUrl?.split("#")[0] || new URL(".", location.href).href;
          const key = roomKeys.get(String(m.room));
          this.s.inviteUrl = `${base}#join=${String(m.room)}.${m.invite}${key ? `&key=${key}` : ""}`;
        }
        break;
      case "admitted": {
        this.s.sealed = m.sealed === true;
        const pair = this.knockPair;
        const room = String(m.room);
        this.knockPair = null;
        // The room key the creator's page wrapped for this one; the views wait for it.
        if (pair && typeof m.key === "string")
          this.opening = this.opening
            .then(() => unwrapWith(pair, room, m.key as string))
            .then((got) => {
              if (!got) return;
              roomKeys.set(room, got.key);
              this.s.safety = got.code;
            })
            .catch(() => undefined);
        break;
      }
      case "deck": // protocol 1.1: the deck part, once, before the state it belongs to
        this.s.deck = m.deck as DeckInfo;
        break;
      case "state": {
        // A daily space (issue 22): the couple page's daily chunk takes its views.
        if ((m.view as { kind?: string }).kind === "daily") {
          hooks.dailyState?.(this, m.view as DailyView);
          break;
        }
        const view = m.view as View;
        if (!view.deck && this.s.deck) view.deck = this.s.deck;
        // In order, and never stuck: a view that fails to open still shows (sealed words).
        if (this.s.sealed)
          this.opening = this.opening
            .then(() => this.openView(view))
            .catch(() => undefined)
            .then(() => this.onState(view))
            .catch(() => undefined);
        else this.onState(view);
        break;
      }
      case "presence":
        this.onPresence(Boolean(m.online));
        break;
      case "typing":
        this.onPartnerTyping(Boolean(m.on));
        break;
      case "kx": // the partner's public key at a party table, relayed by the server
        if (this.party && this.s.sealed && this.s.room && typeof m.pub === "string")
          this.tableKx(this.s.room, 1 - Number(m.seat), m.pub, m.answer === true);
        break;
      case "knock":
        this.onKnock(String(m.request), String(m.name ?? ""), typeof m.pub === "string" ? m.pub : null);
        break;
    }
  }

  /** A party table's key exchange (issue 20): this guest's pair for the table (made
   * once, kept), its public key sent to the partner through the server (which relays
   * it, like "typing"), and from the partner's the table key and the safety code. The
   * partner's own key answered once (`answer`), so both learn it whoever sat down first. */
  private tableKx(room: string, mySeat: number, theirs: string | null, answer = false): void {
    this.opening = this.opening
      .then(async () => {
        const kept = tablePairs.get(room) ?? { ...(await ecdhPair()) };
        const other = theirs ?? kept.theirs;
        if (theirs && theirs !== kept.theirs) kept.theirs = theirs;
        tablePairs.set(room, kept);
        if (other) {
          const got = await tableKey(kept, mySeat, other, room);
          roomKeys.set(room, got.key);
          this.s.safety = got.code;
        }
        if (!answer) void this.conn?.send({ t: "kx", pub: kept.pub, answer: theirs !== null }, false);
        this.render();
      })
      .catch(() => undefined);
  }

  /** Opens the view's sealed texts in place with the room key; a text that does not
   * open here (no key on this device) reads as "sealed for your partner's devices". */
  private async openView(v: View): Promise<void> {
    const key = roomKeys.get(v.room);
    const sealedWords = translator(pickLang(v.seats[v.you]?.language))("sealed_for_partner");
    const one = async (text: string, seat: number, card: string, field: Field, fallback: string | null = sealedWords) => {
      if (!isSealed(text)) return text;
      return (key ? await open(key, { room: v.room, seat, card, field }, text) : null) ?? fallback;
    };
    if (v.card && v.speaker !== null) {
      if (v.spoken) v.spoken = await one(v.spoken, v.speaker, v.card.id, "answer");
      if (v.reflection) v.reflection = await one(v.reflection, 1 - v.speaker, v.card.id, "reflection");
    }
    // Unreadable here, this page's own reveal is not offered back as a draft.
    if (v.reveal?.mine && v.card) v.reveal.mine = await one(v.reveal.mine, v.you, v.card.id, "reveal", null);
    const r = v.revealed;
    if (v.own_deck || v.deck?.id === "~own") await openDeck(v, async (text, seat, card, field) => (await one(text, seat, card, field)) ?? sealedWords);
    if (r) r.answers = await Promise.all(r.answers.map((a, i) => (a ? one(a, i, r.card.id, "reveal").then((x) => x ?? sealedWords) : a)));
  }

  private onKnock(request: string, name: string, pub: string | null): void {
    const entry: Knock = { request, name };
    this.s.knocks = [...this.s.knocks.filter((k) => k.request !== request), entry];
    const roomKey = this.s.room ? roomKeys.get(this.s.room) : null;
    if (pub && roomKey && this.s.sealed && this.s.room)
      this.wraps.set(request, wrapFor(roomKey, this.s.room, pub).catch(() => null).then((w) => {
        if (w) Object.assign(entry, w); // kept on the knock even once it is answered
        this.render();
      }));
    this.s.announce = this.t()("admit_named", { name });
    this.s.focusKnock = true;
    // The server declines an unanswered knock after KNOCK_TIMEOUT; the prompt goes too.
    window.setTimeout(() => {
      this.s.knocks = this.s.knocks.filter((k) => k.request !== request);
      this.render();
    }, KNOCK_TIMEOUT_MS);
    this.render();
  }

  /** Runs ``step`` after the views before it have opened (in order, never stuck). */
  queue(step: () => unknown): void {
    this.opening = this.opening.then(step).then(() => undefined, () => undefined);
  }

  /** The actions the view of version ``seen`` shows are settled. */
  settle(seen: number): void {
    for (const [key, version] of this.awaiting)
      if (seen >= version) {
        this.awaiting.delete(key);
        this.s.pending.delete(key);
      }
  }

  private onState(view: View): void {
    const old = this.s.view;
    if (old && old.room === view.room && view.version <= old.version) return;
    this.s.view = view;
    if (!this.party) hooks.onView?.(view, old);
    this.settle(view.version);
    if (old?.card?.id !== view.card?.id) this.s.avoidTopic = false;
    if (view.seats[1 - view.you]?.joined) this.s.knocks = []; // the seat is taken
    // Whoever just joined is online: don't greet them as "back".
    if (view.seats[1 - view.you]?.joined && !old?.seats[1 - view.you]?.joined) this.s.partnerOnline = true;
    this.announceChange(old, view);
    this.maybeSetLanguage(view);
    this.render();
  }

  // A joiner chose a language before joining: carry it into the seat once.
  private maybeSetLanguage(view: View): void {
    const want = this.autoLanguage;
    if (!want) return;
    this.autoLanguage = null;
    const mine = view.seats[view.you]?.language;
    if (mine !== want && view.deck.languages.includes(want) && view.legal.includes("set_language"))
      this.act("set_language", { language: want });
  }

  private announceChange(old: View | null, view: View): void {
    const t = this.t();
    // "Time for a new card" is for the table between cards, never over someone speaking.
    const due = view.new_card_due && view.phase === "between";
    if (due && !(old?.new_card_due && old.phase === "between")) this.s.announce = t("new_card_due");
    else if (view.notice && view.notice !== "time_for_new_card" && view.notice !== old?.notice) this.s.announce = t(`notice_${view.notice}` as never);
    else if (view.card && view.card.id !== old?.card?.id) this.s.announce = view.card.text;
  }

  private onPresence(online: boolean): void {
    const was = this.s.partnerOnline;
    this.s.partnerOnline = online;
    const v = this.s.view ?? this.s.daily;
    const joined = v ? v.seats[1 - v.you]?.joined : false;
    // A party table is set before either guest sits down: a partner arriving for the
    // first time is not "back".
    if (online && was === false && joined && (this.partnerSeen || !this.party)) {
      this.s.partnerBackUntil = Date.now() + BACK_NOTICE_MS;
      window.setTimeout(() => this.render(), BACK_NOTICE_MS + 50);
    }
    if (online) this.partnerSeen = true;
    if (!online) this.s.partnerTyping = false;
    this.render();
  }

  private onPartnerTyping(on: boolean): void {
    this.s.partnerTyping = on;
    clearTimeout(this.partnerTypingTimer);
    if (on)
      this.partnerTypingTimer = window.setTimeout(() => {
        this.s.partnerTyping = false;
        this.render();
      }, PARTNER_TYPING_STALE_MS);
    this.render();
  }

  // --- intents ---------------------------------------------------------------------------
  /** Sends a game action; `key` tells which button shows the pending state. */
  act(name: string, args: Record<string, unknown> = {}, key: string = name, again = false): void {
    if (!this.conn || this.s.pending.has(key)) return;
    const field = SEALED_FIELDS[name];
    const v = this.s.view;
    if (this.s.sealed && field && typeof args.text === "string") {
      // Sealed here, before it leaves the page; without the key nothing is sent.
      const roomKey = v ? roomKeys.get(v.room) : null;
      if (v && !roomKey && this.party && !again) {
        void this.opening.then(() => this.act(name, args, key, true)); // a table's key on its way
        return;
      }
      if (!v || !v.card || !roomKey) return this.fail(this.t()("sealed_no_key"));
      this.s.pending.add(key);
      this.render();
      void seal(roomKey, { room: v.room, seat: v.you, card: v.card.id, field }, args.text).then(
        (text) => {
          this.s.pending.delete(key);
          void this.send(name, { ...args, text }, key);
        },
        () => {
          this.s.pending.delete(key);
          this.fail(errorText(this.lang(), "text/too_long", this.t()("error_generic")));
        },
      );
      return;
    }
    void this.send(name, args, key);
  }

  /** Sends an action as it is (a daily space seals its own answers first); true once acked. */
  send(name: string, args: Record<string, unknown>, key: string = name): Promise<boolean> {
    if (!this.conn || this.s.pending.has(key)) return Promise.resolve(false);
    this.s.pending.add(key);
    this.s.error = null;
    this.render();
    return this.conn.send({ t: "act", a: name, ...args }).then((reply) => {
      const ok = reply.t !== "error";
      if (!ok) {
        this.s.pending.delete(key);
        this.fail(errorText(this.lang(), String(reply.code), this.t()("error_generic")));
      } else {
        this.settleWhenSeen(key, Number(reply.version));
        this.onAcked(name);
      }
      this.render();
      return ok;
    });
  }

  /** A message that is not an action (push_subscribe): its reply, or an offline error. */
  request(msg: Msg): Promise<Msg> {
    return this.conn ? this.conn.send(msg, false) : Promise.resolve({ t: "error", code: "offline" });
  }

  // The ack can overtake the state it produced: stay pending until the view shows it,
  // so a control never flips back for a moment.
  private settleWhenSeen(key: string, version: number): void {
    if (!Number.isFinite(version) || (this.version() ?? -1) >= version) {
      this.s.pending.delete(key);
      return;
    }
    this.awaiting.set(key, version);
    window.setTimeout(() => {
      if (this.awaiting.get(key) !== version) return;
      this.awaiting.delete(key);
      this.s.pending.delete(key);
      this.render();
    }, STATE_AFTER_ACK_MS);
  }

  private onAcked(name: string): void {
    const draftKinds: Record<string, string> = { done_speaking: "answer", reflect: "reflect" };
    const kind = draftKinds[name];
    if (kind) this.s.drafts.delete(this.draftKey(kind));
    const sent = kind ?? (name === "write_reveal" ? "reveal" : null);
    if (sent) drafts.clear(this.s.room, this.draftKey(sent)); // the server has it now
    if (name === "done_speaking" || name === "reflect" || name === "write_reveal") this.stopTyping();
  }

  async admit(request: string, accept: boolean): Promise<void> {
    const knock = this.s.knocks.find((k) => k.request === request);
    this.s.knocks = this.s.knocks.filter((k) => k.request !== request);
    this.render();
    if (accept) await this.wraps.get(request); // a tap quicker than the wrapping waits for it
    this.wraps.delete(request);
    const key = accept && knock?.key ? { key: knock.key } : {};
    if (accept && knock?.code) this.s.safety = knock.code;
    this.render();
    void this.conn?.send({ t: "admit", request, accept, ...key }, false).then((reply) => {
      if (reply.t === "error") this.fail(this.t()("error_generic"));
    });
  }

  /** ``confirmed``: the page asked already (a daily space's own confirmation sheet). */
  deleteRoom(confirmed = false): void {
    if (!this.conn || (!confirmed && !window.confirm(this.t()("delete_confirm")))) return;
    this.s.pending.add("delete_room");
    this.render();
    void this.conn.send({ t: "delete_room" }).then((reply) => {
      this.s.pending.delete("delete_room");
      if (reply.t === "error") this.fail(this.t()("error_generic"));
      this.render();
    });
  }

  /** Leave the room's connection for good (a party guest moved on from this table). */
  stop(): void {
    this.conn?.stop();
    this.conn = null;
  }

  /** Back into a room this browser holds a seat in (from the start screen). */
  resume(room: string): void {
    const token = seats.get(room);
    if (!token) return;
    history.replaceState(null, "", `#room=${encodeURIComponent(room)}`);
    this.enterRoom(room, { room, token });
    this.render();
  }

  reopen(): void {
    const room = this.s.room;
    const token = room ? this.store.get(room) : null;
    if (room && token) this.enterRoom(room, { room, token });
    this.render();
  }

  /** An error code from the server in this page's words. */
  errorWords(code: string): string {
    return errorText(this.lang(), code, this.t()("error_generic"));
  }

  /** Remembering was just turned on (or off): keep this room's cards from now on. */
  rememberNow(): void {
    if (this.s.view && !this.party) hooks.onView?.(this.s.view, null);
  }

  // --- drafts and "writing..." -----------------------------------------------------
  draftKey(kind: string): string {
    const v = this.s.view;
    return `${this.scope}${kind}:${v?.card?.id ?? ""}:${v?.card?.half ?? 0}`;
  }

  draft(kind: string, fallback = ""): string {
    const key = this.draftKey(kind);
    return this.s.drafts.get(key) ?? drafts.load(this.s.room, key) ?? fallback;
  }

  setDraft(kind: string, value: string): void {
    this.s.drafts.set(this.draftKey(kind), value);
    drafts.save(this.s.room, this.draftKey(kind), value); // survives a reload of this tab
    this.typing();
  }

  private typing(): void {
    const now = Date.now();
    if (now - this.typingSentAt > TYPING_REFRESH_MS && this.conn?.isBound()) {
      this.typingSentAt = now;
      void this.conn.send({ t: "typing", on: true }, false);
    }
    clearTimeout(this.typingIdle);
    this.typingIdle = window.setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    clearTimeout(this.typingIdle);
    if (this.typingSentAt && this.conn?.isBound()) void this.conn.send({ t: "typing", on: false }, false);
    this.typingSentAt = 0;
  }

  // --- sheets (the menu, the boundaries): page-only, never a rule ---------------------
  openSheet(name: string, opener: string): void {
    this.s.sheet = name;
    this.s.sheetOpener = opener;
    this.render();
  }

  closeSheet(): void {
    if (!this.s.sheet) return;
    this.s.sheet = null;
    this.s.showInvite = false;
    this.render();
  }

  fail(message: string): void {
    this.s.error = message;
    clearTimeout(this.errorTimer);
    this.errorTimer = window.setTimeout(() => {
      this.s.error = null;
      this.render();
    }, 12_000);
    this.render();
  }
}
