// A party deck file sent from the console (issue 24: its problems in the console's
// language). Its own chunk, with the problems' words (src/deck-problems.ts): fetched on
// the first upload, so the party page's first load carries neither.

import { problemText, problemWords, type Problem } from "../deck-problems";
import type { Lang, T } from "../i18n";
import type { Msg } from "./net";

/** Sends ``file`` as the party's deck; "" when taken, else the refusal in ``lang``
 * (``said``: the console's words for a code, passed in so this chunk shares none). */
export async function uploadDeck(
  code: string, token: string, file: File, lang: Lang, t: T, said: (code: string) => string,
): Promise<string> {
  const res = await fetch(`api/parties/${code}/deck`, {
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
  if (res.ok) return "";
  const problems = (body.problems ?? []) as Problem[];
  if (!problems.length) return t("p_deck_refused", { why: said(String(body.error ?? "")) });
  const first = problems[0];
  await problemWords(lang);
  const where = first.line ? t("p_deck_line", { n: String(first.line) }) : "";
  return t("p_deck_refused", { why: `${problemText(lang, first).replace(/\.$/, "")}${where}.` });
}
