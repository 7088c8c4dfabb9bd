// A couple's own deck in a sealed room (issue 20). Before the upload this page seals
// every text of the deck file (title, description, level names and descriptions, card
// texts, follow-ups) with the room key, in place in the file's own text, so the server
// checks the structure as it is (ids, kinds, modes, levels, topics stay readable) and the
// problems it names can be mapped back to the line and column of what was pasted. The
// checks that need the words (length, control characters) run here, before sealing.
// docs/protocol.md "A couple's own deck, sealed".

import { seal, type Field } from "./seal";

export interface Problem {
  line: number;
  column: number;
  message: string;
  code?: string; // the server's codes (src/deck-problems.ts has their words)
}
interface Str {
  pointer: string;
  start: number;
  end: number;
  at: number; // where the validator places it: its member's key, or the item itself
}
interface Swap {
  start: number;
  end: number;
  len: number;
}
export interface Sealed {
  text: string;
  problems: Problem[];
  swaps: Swap[];
  source: string;
}

const esc = (k: string) => k.replace(/~/g, "~0").replace(/\//g, "~1");

/** Every string value of a valid JSON text, with its pointer and offsets. */
function strings(src: string): Str[] {
  const out: Str[] = [];
  let i = 0;
  const ws = () => {
    while (i < src.length && " \t\n\r\ufeff".includes(src[i])) i++;
  };
  const str = (): string => {
    const s = i++;
    while (src[i] !== '"') i += src[i] === "\\" ? 2 : 1;
    i++;
    return JSON.parse(src.slice(s, i)) as string;
  };
  const value = (ptr: string, at?: number): void => {
    ws();
    const ch = src[i];
    if (ch === "{" || ch === "[") {
      i++;
      ws();
      if (src[i] === (ch === "{" ? "}" : "]")) return void i++;
      for (let n = 0; ; n++) {
        ws();
        if (ch === "{") {
          const keyAt = i;
          const k = str();
          ws();
          i++; // the colon
          value(`${ptr}/${esc(k)}`, keyAt);
        } else value(`${ptr}/${n}`);
        ws();
        if ("}]".includes(src[i++])) return;
      }
    }
    if (ch === '"') {
      const s = i;
      str();
      out.push({ pointer: ptr, start: s, end: i, at: at ?? s });
      return;
    }
    while (i < src.length && !",}] \t\n\r".includes(src[i])) i++;
  };
  value("");
  return out;
}

/** Where a text of the deck is bound (its card and field in the associated data) and
 * its limit in characters, or null for a string that stays readable. */
function place(pointer: string, deck: Record<string, unknown>): { card: string; field: Field; limit: number } | null {
  const cards = Array.isArray(deck.cards) ? (deck.cards as { id?: unknown }[]) : [];
  const id = (n: string) => String(cards[Number(n)]?.id ?? "");
  let m: RegExpMatchArray | null;
  if (/^\/title\/[^/]+$/.test(pointer)) return { card: "deck", field: "title", limit: 80 };
  if (/^\/description\/[^/]+$/.test(pointer)) return { card: "deck", field: "description", limit: 500 };
  if ((m = pointer.match(/^\/levels\/(\d+)\/(name|description)\/[^/]+$/)))
    return m[2] === "name" ? { card: `level/${m[1]}`, field: "level_name", limit: 40 } : { card: `level/${m[1]}`, field: "level_description", limit: 300 };
  if ((m = pointer.match(/^\/cards\/(\d+)\/text\/[^/]+$/))) return { card: id(m[1]), field: "card", limit: 300 };
  if ((m = pointer.match(/^\/cards\/(\d+)\/follow_ups\/\d+\/(?:text\/)?[^/]+$/)) && !/\/tags\/\d+$/.test(pointer))
    return { card: id(m[1]), field: "follow_up", limit: 200 };
  return null;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

/** The browser's own problem with a file that is not JSON, with its line and column. */
export function syntaxProblem(src: string): Problem | null {
  try {
    JSON.parse(src);
    return null;
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const lc = message.match(/line (\d+) column (\d+)/);
    const code = "json/syntax";
    if (lc) return { line: Number(lc[1]), column: Number(lc[2]), message, code };
    const at = message.match(/position (\d+)/);
    return { ...(at ? lineColumn(src, Number(at[1])) : { line: 1, column: 1 }), message, code };
  }
}

/** The deck file with its texts sealed for this room and seat, or the problems of the
 * words (found here, since the server cannot read them). `src` is valid JSON. */
export async function sealDeck(src: string, key: string, room: string, seat: number): Promise<Sealed> {
  const deck = JSON.parse(src) as Record<string, unknown>;
  const problems: Problem[] = [];
  const swaps: Swap[] = [];
  let text = "";
  let at = 0;
  for (const s of strings(src)) {
    const where = deck && typeof deck === "object" ? place(s.pointer, deck) : null;
    if (!where) continue;
    const plain = JSON.parse(src.slice(s.start, s.end)) as string;
    const length = [...plain.normalize("NFC")].length;
    if (length > where.limit)
      problems.push({ ...lineColumn(src, s.at), code: "text/too_long", message: `text is ${length} characters long; the limit is ${where.limit}` });
    const control = [...plain].find((ch) => /\p{Cc}/u.test(ch));
    if (control)
      problems.push({ ...lineColumn(src, s.at), code: "text/control_character", message: `text contains the control character U+${control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}` });
    if (problems.length) continue;
    const sealed = JSON.stringify(await seal(key, { room, seat, card: where.card, field: where.field }, plain));
    text += src.slice(at, s.start) + sealed;
    at = s.end;
    swaps.push({ start: s.start, end: s.end, len: sealed.length });
  }
  return { text: text + src.slice(at), problems, swaps, source: src };
}

/** A problem the server named in the sealed file, at its place in what was pasted. */
export function mapBack(sealed: Sealed, p: Problem): Problem {
  const lines = sealed.text.split("\n");
  let offset = 0;
  for (let i = 0; i < Math.min(p.line - 1, lines.length); i++) offset += lines[i].length + 1;
  offset += p.column - 1;
  let delta = 0;
  for (const s of sealed.swaps) {
    const start = s.start + delta;
    if (offset < start) break;
    if (offset < start + s.len) {
      offset = start;
      break;
    }
    delta += s.len - (s.end - s.start);
  }
  return { ...p, ...lineColumn(sealed.source, offset - delta) };
}
