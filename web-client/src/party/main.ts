// Entry point of /party: the host console (#host=CODE), the big-screen display
// (#display=CODE.KEY), a guest's phone (#join=CODE), or a start page to host or join.
// Secrets given in the address are kept in this browser and taken out of the address.

import { h, listen, patch } from "../dom";
import { Console, displayScreen, hostScreen, type Deck } from "./console";
import { GuestPage, guestScreen } from "./guest";
import { saved } from "./model";
import { ensureLang, pickLang, translator } from "../i18n";
import { Platform } from "../platform";
import { syncSheets } from "../ui/sheet";

const root = document.getElementById("app") as HTMLElement;
let screen: () => HTMLElement = startScreen;
let home = location.href;
let decks: Deck[] = [];
let deckChoice = "closer";
let joinCode = "";
let failure = "";
let guest: GuestPage | null = null;
let partyView: () => { legal?: string[] } | null = () => null;
// This page's language: the browser's; the big screen's, the host's (its link says).
let lang = pickLang(navigator.language);
const t = () => translator(lang);
// A guest's table is a couple's room: the screen stays on, cues, drafts (src/platform).
const platform = new Platform(() => guest?.table ?? null);

function render(): void {
  // This page's words, and a guest's table's (its seat's language), before anything shows.
  if (!ensureLang(lang, render) || !ensureLang(guest?.table?.lang() ?? lang, render)) return;
  document.documentElement.lang = lang;
  document.title = t()("p_party_title");
  patch(root, h("div", null, screen()));
  if (guest?.table) syncSheets(root, guest.table); // the table's menu and boundaries sheets
  root.dataset.screen = root.querySelector("[data-screen]")?.getAttribute("data-screen") ?? "";
  // As on the couple page: a read-only copy of the table's view for tests and debugging.
  const table = guest?.table ?? null;
  (window as unknown as { __closeknitView: unknown }).__closeknitView = table?.s.view
    ? JSON.parse(JSON.stringify(table.s.view))
    : null;
  root.dataset.pending = String(table?.s.pending.size ?? 0);
  // And the party actions this page may ask for now (its view's `legal`), which its
  // buttons follow (only the list: a console's whole view can be large).
  const legal = partyView()?.legal;
  (window as unknown as { __closeknitPartyLegal: unknown }).__closeknitPartyLegal = legal ? [...legal] : null;
  // The table's own UI writes its room into the address; this page's address stays.
  if (location.href !== home) history.replaceState(null, "", home);
  platform.afterRender();
}

function keepUrl(): void {
  if (location.href !== home) history.replaceState(null, "", home);
}

function address(hash: string): void {
  history.replaceState(null, "", `party#${hash}`);
  home = location.href;
}

function boot(): void {
  const hash = new URLSearchParams(location.hash.slice(1));
  const host = hash.get("host");
  const display = hash.get("display");
  const join = hash.get("join");
  if (host) {
    const [code, token] = host.split(".", 2);
    if (token) saved.set("host", code, token);
    address(`host=${code}`);
    const c = new Console(code, "host", saved.get("host", code) ?? "", render, lang);
    screen = () => hostScreen(c);
    partyView = () => c.view;
  } else if (display) {
    const [code, key] = display.split(".", 2);
    if (key) saved.set("display", code, key);
    const asked = hash.get("lang");
    if (asked) saved.set("display-lang", code, pickLang(asked));
    lang = pickLang(saved.get("display-lang", code) ?? navigator.language);
    address(`display=${code}`);
    const c = new Console(code, "display", saved.get("display", code) ?? "", render, lang);
    screen = () => displayScreen(c);
    partyView = () => c.view;
    window.setInterval(render, 1000); // the round's countdown
  } else if (join) {
    const code = join.toUpperCase();
    address(`join=${code}`);
    const g = new GuestPage(code, render, keepUrl);
    guest = g;
    screen = () => guestScreen(g);
    partyView = () => g.view;
    window.setInterval(() => { if (g.view?.meta.round.deadline) render(); }, 1000);
  } else {
    void loadDecks();
  }
  render();
}

async function loadDecks(): Promise<void> {
  try {
    const res = await fetch("api/decks");
    if (res.ok) decks = (await res.json()) as Deck[];
  } catch {
    decks = [];
  }
  render();
}

async function createParty(): Promise<void> {
  const res = await fetch("api/parties", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ deck: deckChoice }) });
  if (!res.ok) {
    failure = t()("p_create_failed");
    render();
    return;
  }
  const body = (await res.json()) as { code: string; host_token: string; display_key: string };
  saved.set("host", body.code, body.host_token);
  saved.set("display", body.code, body.display_key);
  location.hash = `host=${body.code}`;
  location.reload();
}

function title(t: Deck["title"]): string {
  return typeof t === "string" ? t : t[lang] ?? t.en ?? Object.values(t)[0] ?? "";
}

function startScreen(): HTMLElement {
  const t = translator(lang);
  return h("div", { class: "screen start", "data-screen": "party-start" },
    h("div", { class: "hero" }, h("h1", { class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("p_party_title")),
      h("p", null, t("p_tagline"))),
    failure ? h("p", { class: "banner error", role: "alert" }, failure) : null,
    h("form", { class: "panel stack", onsubmit: (e: Event) => {
      e.preventDefault();
      if (joinCode.trim()) location.hash = `join=${joinCode.trim().toUpperCase()}`;
      location.reload();
    } },
      h("h2", null, t("p_join_a_party")),
      h("label", { for: "party-code" }, t("p_party_code")),
      h("input", { id: "party-code", "data-ui": "party-code-input", autocomplete: "off", maxlength: "6", value: joinCode,
        oninput: (e: Event) => { joinCode = (e.target as HTMLInputElement).value; } }),
      h("button", { type: "submit", class: "btn primary" }, t("p_join"))),
    h("form", { class: "panel stack", onsubmit: (e: Event) => {
      e.preventDefault();
      void createParty();
    } },
      h("h2", null, t("p_host_a_party")),
      h("label", { for: "party-deck" }, t("p_deck")),
      h("select", { id: "party-deck", "data-ui": "party-deck", value: deckChoice,
        onchange: (e: Event) => { deckChoice = (e.target as HTMLSelectElement).value; } },
        decks.map((d) => h("option", { value: d.id }, title(d.title)))),
      h("button", { type: "submit", class: "btn", "data-ui": "create-party" }, t("p_create_party"))));
}

listen(root);
boot();
