// The deck picker (issue 21): the list names each deck with its number of cards and its
// time, and the chosen deck is shown beside it: title, description, age rating,
// languages, cards and levels, and about how long a game through every level takes
// (the server's estimate, decks/timing.py). Deck text is always set as text.

import type { App } from "../app";
import { h } from "../dom";
import type { T } from "../i18n";
import type { DeckListing } from "../types";

let chosen: string | null = null; // the deck the select shows, kept across renders

export function local(text: Record<string, string> | string | undefined, lang: string): string {
  if (!text) return "";
  if (typeof text === "string") return text;
  return text[lang] ?? text.en ?? Object.values(text)[0] ?? "";
}

const cardCount = (d: DeckListing): number => (d.cards ?? []).reduce((a, b) => a + b, 0);

function ageText(t: T, rating: string | undefined): string | null {
  switch (rating) {
    case "all": return t("deck_age_all");
    case "12+": return t("deck_age_12");
    case "16+": return t("deck_age_16");
    case "18+": return t("deck_age_18");
    default: return rating ?? null;
  }
}

function languageNames(codes: string[], lang: string): string {
  let names: Intl.DisplayNames | null = null;
  try {
    names = new Intl.DisplayNames([lang], { type: "language" });
  } catch {
    names = null;
  }
  return codes.map((c) => names?.of(c) ?? c).join(", ");
}

function timeText(t: T, minutes: number): string {
  if (minutes < 90) return t("deck_minutes", { minutes });
  return t("deck_hours", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** The chosen deck, in words. */
function about(app: App, d: DeckListing): HTMLElement {
  const t = app.t();
  const lang = app.s.lang;
  const levels = d.levels ?? [];
  const cards = cardCount(d);
  const facts = [
    ageText(t, d.age_rating),
    d.languages.length ? t("deck_languages", { languages: languageNames(d.languages, lang) }) : null,
    t("deck_cards_levels", { cards, levels: levels.length }),
    d.minutes ? timeText(t, d.minutes) : null,
  ].filter((x): x is string => Boolean(x));
  return h("section", { class: "deck-about", "data-ui": "deck-about", "data-key": `deck-about-${d.id}`,
    "aria-label": t("deck_about") },
    h("h3", { class: "deck-about-title" }, local(d.title, lang)),
    d.description ? h("p", { class: "deck-about-text" }, local(d.description, lang)) : null,
    h("ul", { class: "deck-facts" }, facts.map((f, i) => h("li", { "data-key": `fact-${i}` }, f))),
    levels.length
      ? h("p", { class: "hint deck-levels" },
          t("deck_levels_path", { path: levels.map((lv) => local(lv.name, lang)).join(" → ") }))
      : null,
    d.minutes ? h("p", { class: "hint deck-levels" }, t("deck_time_hint")) : null);
}

/** The "Deck" field of the create form: a select (id "deck", name "deck") and the
 * chosen deck's card. */
export function deckPicker(app: App, decks: DeckListing[]): HTMLElement {
  const t = app.t();
  const lang = app.s.lang;
  if (!decks.some((d) => d.id === chosen)) chosen = decks[0]?.id ?? null;
  const current = decks.find((d) => d.id === chosen);
  const label = (d: DeckListing): string =>
    d.minutes ? t("deck_option", { title: local(d.title, lang), cards: cardCount(d), minutes: d.minutes }) : local(d.title, lang);
  return h("div", { class: "field deck-picker" },
    h("label", { for: "deck" }, t("deck")),
    h("select", {
      id: "deck",
      name: "deck",
      required: true,
      value: chosen ?? "",
      "aria-describedby": "deck-about",
      onchange: (e: Event) => {
        chosen = (e.target as HTMLSelectElement).value;
        app.render();
      },
    }, decks.map((d) => h("option", { value: d.id }, label(d)))),
    h("div", { id: "deck-about" }, current ? about(app, current) : null));
}
