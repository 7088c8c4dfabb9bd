// Opening the sealed texts of a couple's own deck in a view (issue 20). Kept apart from
// seal-deck.ts, which seals a file before its upload and is loaded only then.

import type { Field } from "./seal";
import type { CardView, View } from "./types";

type One = (text: string, seat: number, card: string, field: Field) => Promise<string>;

/** Opens the sealed texts of a couple's own deck in a view, in place (app.ts openView:
 * the same path as sealed answers). Texts of installed decks are left as they are. */
export async function openDeck(v: View, one: One): Promise<void> {
  const seat = v.own_deck?.by ?? 0;
  const own = v.own_deck;
  if (own) {
    own.title = await one(own.title, seat, "deck", "title");
    own.description = await one(own.description, seat, "deck", "description");
    own.levels = await Promise.all(own.levels.map((n, i) => one(n, seat, `level/${i}`, "level_name")));
  }
  if (v.deck?.id === "~own") {
    v.deck.title = await one(v.deck.title, seat, "deck", "title");
    v.deck.description = await one(v.deck.description, seat, "deck", "description");
    for (const [i, lv] of v.deck.levels.entries()) {
      lv.name = await one(lv.name, seat, `level/${i}`, "level_name");
      lv.description = await one(lv.description, seat, `level/${i}`, "level_description");
    }
  }
  const card = async (c: CardView) => {
    c.text = await one(c.text, seat, c.id, "card");
    c.follow_ups = await Promise.all(c.follow_ups.map((f) => one(f, seat, c.id, "follow_up")));
  };
  if (v.card) await card(v.card);
  if (v.revealed) await card(v.revealed.card);
  for (const s of v.summary?.starred ?? []) s.text = await one(s.text, seat, s.id, "card");
}
