// The problems the server names in an uploaded deck file (a couple's own deck, a party's
// deck: src/party/deck-upload.ts), in the page's language: each problem's stable `code` (decks/ validator,
// server/rooms/own_deck.py) has its sentence here; `{field}` is the name the server's
// message quotes ('id', 'uno'). The server's English `message` is shown only for a code
// this page does not know. Its own chunk, loaded with the upload code (first use only);
// tests/server/test_deck_problem_words.py fails when the server can send a code that
// has no words here.

import { addWords, keyed, loadLang, word, type Lang } from "./i18n";

export interface Problem {
  line: number;
  column: number;
  message: string;
  code?: string;
}

const en: Record<string, string> = {
  "file/too_large": "The file is too large.",
  "file/not_utf8": "The file isn’t UTF-8 text here. Save it as UTF-8 and try again.",
  "json/syntax": "The JSON breaks here: look for a missing comma, quote mark or bracket.",
  "json/too_deep": "The file nests too deeply here.",
  "json/duplicate_key": "The name “{field}” appears twice in the same object.",
  "deck/too_many_cards": "A deck has at most 200 cards; this one has more.",
  "schema/missing_field": "The field “{field}” is missing here.",
  "schema/unknown_field": "A deck file has no field “{field}” here.",
  "schema/wrong_type": "This value is of the wrong kind: for example a number where text belongs.",
  "schema/duplicate_item": "This item is listed twice.",
  "schema/bad_format": "This value isn’t written in the form this place needs.",
  "schema/not_allowed": "This value isn’t one of those allowed here.",
  "schema/too_short": "This must not be empty.",
  "schema/too_long": "This is longer than allowed here.",
  "schema/too_few": "This needs more entries.",
  "schema/too_many": "This has more entries than allowed here.",
  "schema/out_of_range": "This number is outside the range allowed here.",
  "card/duplicate_id": "The card id “{field}” is already used by another card.",
  "level/duplicate_id": "The level id “{field}” is already used by another level.",
  "tag/duplicate_id": "The topic id “{field}” is already used by another topic.",
  "deck/default_language_not_listed": "The default language “{field}” isn’t in the deck’s list of languages.",
  "card/unknown_level": "This deck has no level “{field}”.",
  "card/unknown_tag": "“{field}” isn’t a known topic: neither in the shared list nor among this deck’s own.",
  "follow_up/unknown_tag": "“{field}” isn’t a known topic: neither in the shared list nor among this deck’s own.",
  "silence/unknown_topic": "“{field}” isn’t a known topic: neither in the shared list nor among this deck’s own.",
  "card/closing_has_tags": "The closing card has no topics, and neither do its follow-up questions.",
  "card/closing_has_level": "The closing card has no level.",
  "card/second_closing": "A deck has at most one closing card; this is a second one.",
  "silence/unknown_rule": "“{field}” isn’t a rule that can be silenced.",
  "silence/topic_not_allowed": "The rule “{field}” isn’t about one topic: leave out “topic”.",
  "silence/duplicate": "The rule “{field}” is already silenced here.",
  "level/too_few_cards": "The level “{field}” needs at least 3 cards.",
  "level/min_cards_unreachable": "The level “{field}” asks for more completed cards than it holds.",
  "text/unknown_language": "The language “{field}” isn’t in the deck’s list of languages.",
  "text/too_long": "This text is longer than allowed here.",
  "text/control_character": "This text holds a control character (an invisible one, like a tab). Please remove it.",
  "text/missing_default_language": "This text has nothing in the deck’s default language “{field}”.",
  "text/not_sealed": "This room takes sealed texts only. Add the deck again from this page, which seals it.",
  "text/sealed_not_allowed": "Only texts are sealed: ids, levels and topics stay readable.",
};

addWords("deckproblems", keyed("deckp:", en), {
  de: () => import("./lang/de-deckproblems"),
  es: () => import("./lang/es-deckproblems"),
});

/** Fetches the problems' words in ``lang`` (before problems are shown). */
export function problemWords(lang: Lang): Promise<void> {
  return loadLang(lang);
}

/** One problem in ``lang``: its code's sentence, or the server's message for a code (or
 * a quoted name) this page doesn't have. */
export function problemText(lang: Lang, p: Problem): string {
  const message = String(p.message ?? "");
  const field = /'([^']*)'/.exec(message)?.[1];
  const said = p.code ? word(lang, `deckp:${p.code}`, field === undefined ? undefined : { field }) : undefined;
  return said === undefined || said.includes("{field}") ? message : said;
}
