// The couple room's synchronised state for the Colyseus game peer, as @colyseus/schema 3
// types (the `schema()` helper: this is plain Node, no decorators). Colyseus sends the
// whole state once when a client joins and then only the fields that changed.
//
// Shared by both seats: the phase, the speaker, the card on the table (its text, in
// English, from the shipped deck), the level, what was typed once the rules show it
// (spoken, reflection, a reveal card's answers), progress. Private to one seat, through
// a StateView (fields marked `view: true`, visible only to a client whose view holds
// that seat): its legal moves, its reveal draft, and the card's follow-ups, which only
// the listener sees while reflecting (as in Closeknit's views).
"use strict";

const { schema, ArraySchema } = require("@colyseus/schema");

const Level = schema({
  name: "string",
  description: "string",
  minCards: "uint8",
}, "Level");

// What never changes during a room: sent once, in the full state at join.
const DeckInfo = schema({
  id: "string",
  title: "string",
  description: "string",
  levels: [Level],
  hasClosing: "boolean",
}, "DeckInfo");

const Card = schema({
  id: "string",
  text: "string",
  kind: "string", // question | appreciation | action | closing
  mode: "string", // one | both | reveal
  level: "int8", // -1: the closing card
  half: "uint8", // 0 or 1 on a card both answer
  both: "boolean",
  closing: "boolean",
}, "Card");

const Seat = schema({
  sessionId: "string",
  name: "string",
  joined: "boolean",
  ready: "boolean",
  submitted: "boolean", // on a reveal card: has written (the text itself is private)
  legal: { array: "string", view: true },
  draft: { type: "string", view: true },
  followUps: { array: "string", view: true },
}, "Seat");

const CoupleState = schema({
  version: "uint32", // one up per accepted move
  phase: "string", // lobby between shown speaking reflecting confirming writing ended
  speaker: "int8", // the seat speaking; between cards, the seat that draws next
  level: "uint8",
  card: Card, // undefined between cards
  spoken: "string",
  reflection: "string",
  revealed: ["string"], // both answers of the last reveal card, until the next draw
  proposalBy: "int8", // -1: no proposal to go deeper waits
  proposalTo: "int8",
  notice: "string",
  exhausted: "boolean",
  completed: ["uint8"], // cards completed this game, per level
  total: "uint16",
  gameNo: "uint16",
  deck: DeckInfo,
  seats: [Seat],
}, "CoupleState");

// Makes an ArraySchema hold `values`, touching only the entries that differ: an
// unchanged list costs nothing in the next patch. (ArraySchema's splice cannot insert
// more than it deletes.)
function setStrings(array, values) {
  const common = Math.min(array.length, values.length);
  for (let i = 0; i < common; i++) if (array[i] !== values[i]) array[i] = values[i];
  while (array.length > values.length) array.pop();
  for (let i = common; i < values.length; i++) array.push(values[i]);
}

module.exports = { CoupleState, Seat, Card, DeckInfo, Level, ArraySchema, setStrings };
