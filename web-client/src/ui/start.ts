// Screens outside a room: start (create or join by code), name before following an
// invite, waiting at the door after a knock, and a room that stopped.

import type { App, CreateForm } from "../app";
import { h } from "../dom";
import { UI_LANGS, langName, pickLang } from "../i18n";
import { isDaily } from "../net";
import { roomKeys, seats, secondSeats } from "../state";
import type { DeckListing, ServerFacts } from "../types";
import { deckPicker } from "./decks";
import { memoryOpener, memorySheet, rememberCheck } from "./remember";

function langSelect(app: App, id: string): HTMLElement {
  return h(
    "select",
    {
      id,
      "data-ui": "ui-language",
      value: app.s.lang,
      onchange: (e: Event) => {
        app.s.lang = pickLang((e.target as HTMLSelectElement).value);
        document.documentElement.lang = app.s.lang;
        app.render();
      },
    },
    UI_LANGS.map((l) => h("option", { value: l }, langName(l))),
  );
}

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control,
    hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
}

function value(form: HTMLFormElement, name: string): string {
  const el = form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null;
  return el ? el.value : "";
}

function formOf(app: App, f: HTMLFormElement): CreateForm {
  const light = (f.elements.namedItem("light") as HTMLInputElement).checked;
  const deck = value(f, "deck");
  // The server refuses a language the deck does not carry: then the deck's default.
  const carried = app.s.decks.find((d) => d.id === deck)?.languages.includes(app.s.lang) ?? false;
  return { deck, language: carried ? app.s.lang : "", lightMode: light, name: value(f, "name") };
}

let asked = false;
let invitedName = ""; // the name given with an invite, for a daily seat taken back
let invitedKey: string | null = null; // and the link's key (a refused join forgets it)
let creatingDaily = false; // the create form's daily button is the one waiting

/** This browser's IANA time zone, for a daily space's day ("UTC" where it says none). */
function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** A daily space (issue 22): the live room's creation with the couple's day, from 04:00. */
export function createDaily(app: App, form: CreateForm): Promise<void> {
  creatingDaily = true;
  return app.createRoom(form, { tz: timeZone(), day_start: 4 }).finally(() => {
    creatingDaily = false;
  });
}

/** What this server offers (GET /api/server, once): a daily space's durability, push. */
export function serverFacts(app: App): void {
  if (asked) return;
  asked = true;
  void fetch("api/server", { headers: { accept: "application/json" } })
    .then((res) => (res.ok ? (res.json() as Promise<ServerFacts>) : null))
    .then((facts) => {
      app.s.server = facts;
      app.render();
    })
    .catch(() => undefined); // an older server, or offline: nothing said, nothing offered
}

export function startScreen(app: App): HTMLElement {
  const t = app.t();
  serverFacts(app);
  const decks: DeckListing[] = app.s.decks;
  const create = h(
    "form",
    {
      class: "panel",
      "aria-labelledby": "create-title",
      "data-ui": "create-form",
      onsubmit: (e: Event) => {
        e.preventDefault();
        void app.createRoom(formOf(app, e.target as HTMLFormElement));
      },
    },
    h("h2", { id: "create-title" }, t("start_create")),
    field("create-name", t("your_name"), h("input", { id: "create-name", name: "name", maxlength: "40", autocomplete: "given-name" })),
    deckPicker(app, decks),
    h("div", { class: "check" },
      h("input", { type: "checkbox", id: "light", name: "light" }),
      h("label", { for: "light" }, t("light_mode"))),
    rememberCheck(app, "create-remember", true),
    h("button", { type: "submit", class: "btn primary", "data-ui": "create", disabled: app.s.busy || decks.length === 0,
      "aria-busy": app.s.busy ? "true" : null }, app.s.busy && !creatingDaily ? t("creating") : t("create_room")),

    // One phone, side by side (issue 21): its own chunk, fetched when chosen.
    h("button", { type: "button", class: "btn one-offer", "data-ui": "one-phone", disabled: app.s.busy || decks.length === 0,
      onclick: (e: Event) => {
        const form = formOf(app, (e.target as HTMLElement).closest("form") as HTMLFormElement);
        void import("../onephone").then((m) => m.intro(app, form, () => app.render()));
      } }, t("one_offer")),
    h("p", { class: "hint" }, t("one_offer_hint")),
    // A card a day (issue 22): the same form makes a daily space; its screens come later.
    h("button", { type: "button", class: "btn one-offer", "data-ui": "daily-create", disabled: app.s.busy || decks.length === 0,
      "aria-busy": app.s.busy && creatingDaily ? "true" : null,
      onclick: (e: Event) => void createDaily(app, formOf(app, (e.target as HTMLElement).closest("form") as HTMLFormElement)) },
    app.s.busy && creatingDaily ? t("day_creating") : t("day_offer")),
    h("p", { class: "hint" }, t("day_offer_hint")),
    app.s.server && !app.s.server.daily_durable
      ? h("p", { class: "hint", "data-ui": "daily-not-durable" }, t("day_not_durable")) : null,
  );
  const join = h(
    "form",
    {
      class: "panel",
      "aria-labelledby": "join-title",
      "data-ui": "join-form",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = e.target as HTMLFormElement;
        app.knock(value(f, "code"), value(f, "name"));
      },
    },
    h("h2", { id: "join-title" }, t("or_join")),
    field("join-code", t("room_code"), h("input", { id: "join-code", name: "code", class: "mono", required: true,
      autocomplete: "off", autocapitalize: "characters", spellcheck: "false", maxlength: "12",
      defaultValue: app.s.prefillCode, "aria-describedby": "join-code-hint" }), t("code_hint")),
    field("join-name", t("your_name"), h("input", { id: "join-name", name: "name", required: true, maxlength: "40",
      autocomplete: "given-name", defaultValue: app.s.prefillName })),
    h("button", { type: "submit", class: "btn", "data-ui": "knock" }, t("join")),
  );
  return h("div", { class: "screen start", "data-screen": "start" },
    h("header", { class: "hero" },
      h("h1", { tabindex: "-1", class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("app_name")),
      h("p", null, t("tagline")),
      h("div", { class: "field inline" }, h("label", { for: "ui-lang" }, t("ui_language")), langSelect(app, "ui-lang"))),
    app.s.error ? h("div", { class: "banner error", role: "alert" }, app.s.error) : null,
    resumeList(app),
    create,
    join,
    h("p", { class: "memory-link" }, memoryOpener(app, "open-memory")),
    memorySheet(app),
  );
}

function resumeList(app: App): HTMLElement | null {
  const rooms = seats.rooms();
  if (!rooms.length) return null;
  const t = app.t();
  return h("section", { class: "panel", "aria-labelledby": "resume-title" },
    h("h2", { id: "resume-title" }, t("resume_title")),
    h("div", { class: "row" }, rooms.map((room) =>
      h("button", { type: "button", class: "btn", "data-ui": "resume-room", "data-key": room,
        onclick: () => resume(app, room) }, t(isDaily(room) ? "day_resume" : "resume_room", { room })))));
}

// A room this page holds both seats of (one phone, issue 21) comes back as one phone.
function resume(app: App, room: string): void {
  if (!secondSeats.get(room)) return app.resume(room);
  history.replaceState(null, "", `#room=${encodeURIComponent(room)}`);
  location.reload();
}

export function nameScreen(app: App): HTMLElement {
  const t = app.t();
  return h("div", { class: "screen start", "data-screen": "join-invite" },
    h("header", { class: "hero" },
      h("h1", { tabindex: "-1", class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("app_name")),
      h("p", null, t("tagline")),
      h("div", { class: "field inline" }, h("label", { for: "ui-lang" }, t("ui_language")), langSelect(app, "ui-lang"))),
    app.s.error ? h("div", { class: "banner error", role: "alert" }, app.s.error) : null,
    h("form", {
      class: "panel",
      "aria-labelledby": "invited-title",
      "data-ui": "invite-join-form",
      onsubmit: (e: Event) => {
        e.preventDefault();
        invitedName = value(e.target as HTMLFormElement, "name");
        invitedKey = app.s.invite ? roomKeys.get(app.s.invite.room) : null;
        app.joinWithInvite(invitedName);
      },
    },
    h("h2", { id: "invited-title" }, t("invited")),
    field("invite-name", t("your_name"), h("input", { id: "invite-name", name: "name", required: true, maxlength: "40",
      autocomplete: "given-name" })),
    h("button", { type: "submit", class: "btn primary", "data-ui": "join-invite" }, t("join_now"))),
  );
}

export function knockScreen(app: App): HTMLElement {
  const t = app.t();
  return h("div", { class: "screen knock", "data-screen": "knocking" },
    h("h1", { class: "visually-hidden", tabindex: "-1" }, t("app_name")),
    h("div", { class: "panel calm-panel", role: "status" },
      h("div", { class: "spinner", "aria-hidden": "true" }),
      h("p", { class: "big" }, t("knock_waiting")),
      h("p", { class: "mono" }, app.s.room ?? ""),
      app.s.knockSlow ? h("p", { class: "hint", "data-ui": "knock-slow" }, t("knock_slow")) : null),
    h("button", { type: "button", class: "btn", "data-ui": "cancel-knock", onclick: () => app.cancelKnock() }, t("knock_cancel")),
  );
}

export function stoppedScreen(app: App): HTMLElement {
  const t = app.t();
  const why = app.s.stop;
  const text =
    why === "deleted" ? t("deleted")
    : why === "replaced" ? t("seat_replaced")
    : why === "version" ? t("version_mismatch")
    : why === "seat_taken" || app.s.invite ? t("invite_invalid")
    : t("room_gone");
  const inv = app.s.invite;
  // A daily space with both seats taken (issue 22): a browser that lost its storage
  // comes back into its own seat with the invite link, the couple's secret.
  if (why === "seat_taken" && inv && isDaily(inv.room) && invitedName.trim())
    return h("div", { class: "screen stopped", "data-screen": "daily-rejoin" },
      h("h1", { tabindex: "-1" }, t("app_name")),
      h("div", { class: "panel calm-panel", role: "status" }, h("p", { class: "big" }, t("day_rejoin"))),
      h("div", { class: "stack" }, [0, 1].map((seat) =>
        h("button", { type: "button", class: "btn", "data-ui": `rejoin-${seat}`,
          onclick: () => {
            if (invitedKey) roomKeys.set(inv.room, invitedKey);
            app.enterRoom(inv.room, { room: inv.room, invite: inv.secret, name: invitedName.trim(), seat });
          } },
        t(seat ? "day_rejoin_invited" : "day_rejoin_started")))));
  return h("div", { class: "screen stopped", "data-screen": why === "deleted" ? "deleted" : "stopped" },
    h("h1", { tabindex: "-1" }, t("app_name")),
    h("div", { class: "panel calm-panel", role: "status" }, h("p", { class: "big" }, text)),
    why === "replaced"
      ? h("button", { type: "button", class: "btn primary", "data-ui": "reopen", onclick: () => app.reopen() }, t("open_here"))
      : h("a", { class: "btn primary", href: "./", "data-ui": "home" }, t("new_game")),
  );
}
