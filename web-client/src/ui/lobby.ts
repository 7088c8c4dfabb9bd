// The lobby: one short screen (who is here, your name, the deck, your language, your
// private boundaries behind their own sheet), "I'm ready" in the bar at the bottom.
// Light mode and "apart tonight" are in the menu.

import { h } from "../dom";
import { langName } from "../i18n";
import { icon } from "../icons";
import { boundaryCount, can, maybe, type Ctx } from "./common";
import { invitePanel } from "./invite";
import { bar } from "./play";
import { hooks } from "../hooks";
import { opener } from "./sheet";

function seatLine(c: Ctx, i: number): HTMLElement {
  const { v, t } = c;
  const seat = v.seats[i];
  const who = i === v.you ? t("you_label") : t("partner_label");
  const state = !seat?.joined ? t("not_joined") : seat.ready ? t("is_ready") : t("not_ready");
  return h("li", { class: `seat ${seat?.ready ? "is-ready" : ""}`, "data-key": `seat${i}` },
    h("span", { class: "who" }, who),
    h("span", { class: "name" }, seat?.name || "…"),
    h("span", { class: "lang" }, seat?.language ? langName(seat.language) : ""),
    h("span", { class: "state" }, seat?.ready ? icon("check") : null, state));
}

function nameForm(c: Ctx): HTMLElement | null {
  if (!can(c, "set_name")) return null;
  const { t, app } = c;
  const pending = app.s.pending.has("set_name");
  return h("form", {
    class: "field",
    onsubmit: (e: Event) => {
      e.preventDefault();
      const input = (e.target as HTMLFormElement).elements.namedItem("name") as HTMLInputElement;
      if (input.value.trim()) app.act("set_name", { value: input.value.trim() });
    },
  },
  h("label", { for: "my-name" }, t("your_name")),
  h("div", { class: "row" },
    h("input", { id: "my-name", name: "name", maxlength: "40", required: true, defaultValue: c.me, autocomplete: "given-name" }),
    h("button", { type: "submit", class: "btn small", "data-action": "set_name", disabled: pending, "aria-busy": pending ? "true" : null },
      pending ? t("sending") : t("save_name"))));
}

export function languageField(c: Ctx): HTMLElement | null {
  if (!can(c, "set_language")) return null;
  const { t, v, app } = c;
  return h("div", { class: "field" },
    h("label", { for: "my-lang" }, t("card_language")),
    h("select", {
      id: "my-lang",
      "data-action": "set_language",
      disabled: app.s.pending.has("set_language"),
      value: v.seats[v.you]?.language ?? v.language,
      onchange: (e: Event) => app.act("set_language", { language: (e.target as HTMLSelectElement).value }),
    }, v.deck.languages.map((l) => h("option", { value: l }, langName(l)))));
}

// The deck on a line of its own (a long German title no longer squashes the select).
function deckField(c: Ctx): HTMLElement | null {
  if (!can(c, "choose_deck")) return null;
  const { t, v, app } = c;
  const decks = app.s.decks.length ? app.s.decks : [{ id: v.deck.id, title: v.deck.title, languages: [] }];
  const title = (d: (typeof decks)[number]): string =>
    typeof d.title === "string" ? d.title : d.title[v.language] ?? d.title.en ?? d.id;
  return h("div", { class: "field" },
    h("label", { for: "lobby-deck" }, t("deck")),
    h("select", { id: "lobby-deck", value: v.deck.id }, decks.map((d) => h("option", { value: d.id }, title(d)))),
    h("div", { class: "row" }, maybe(c, "choose_deck", t("choose_deck"), {
      cls: "small",
      before: () => ({ deck: (document.getElementById("lobby-deck") as HTMLSelectElement).value }),
    })));
}

function apartNotice(c: Ctx): HTMLElement | null {
  return c.v.apart ? h("p", { class: "notice apart-notice", role: "status", "data-key": "apart-notice" }, c.t("apart_on")) : null;
}

function readyBar(c: Ctx): HTMLElement {
  const { v, t, partner } = c;
  const mine = v.seats[v.you]?.ready;
  const here = v.seats[1 - v.you]?.joined;
  const wait = mine ? t("you_ready_wait", { name: partner }) : here ? t("both_ready_soon") : t("waiting_partner_join");
  return bar(c, {
    primary: maybe(c, "ready", t("ready"), { cls: "primary" }),
    quiet: [maybe(c, "unready", t("unready"), { cls: "quiet" })],
    wait,
  });
}

export function lobbyScreen(c: Ctx): HTMLElement {
  const { t, v, app } = c;
  const partnerHere = v.seats[1 - v.you]?.joined;
  return h("div", { class: "screen lobby", "data-screen": "lobby" },
    h("h1", { tabindex: "-1" }, t("lobby_title")),
    h("p", { class: "deck-title" }, v.deck.title),
    h("ul", { class: "seats" }, seatLine(c, v.you), seatLine(c, 1 - v.you)),
    !partnerHere ? invitePanel(app, false) : null,
    h("section", { class: "panel", "aria-label": t("lobby_settings") },
      nameForm(c), deckField(c), languageField(c),
      v.deck.tags.length && !app.onePhone // one phone: behind each partner's own hand-over screen
        ? opener(app, "boundaries", "open-boundaries",
            [icon("lock"), h("span", { class: "open-text" }, h("span", null, t("boundaries_short")),
              h("span", { class: "count", "data-ui": "boundary-count-row" }, boundaryCount(c))), icon("forward")],
            "btn open-row")
        : null),
    app.party ? null : hooks.lobbyPanel?.(c),
    apartNotice(c),
    !can(c, "set_light_mode") ? h("p", { class: "hint" }, v.light_mode ? t("light_on") : t("light_off")) : null,
    readyBar(c),
  );
}
