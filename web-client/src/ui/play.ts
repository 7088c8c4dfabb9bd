// The play screen: the card, who speaks and who listens, and exactly the legal actions.

import { h, type Child } from "../dom";
import type { Key } from "../i18n";
import type { CardView } from "../types";
import { actBtn, can, levelName, maybe, type Ctx } from "./common";

export function statusLine(c: Ctx): string {
  const { v, t, partner } = c;
  const me = v.speaker === v.you;
  switch (v.phase) {
    case "between":
      return me ? t("you_draw") : t("partner_draws", { name: partner });
    case "writing":
      return t("both_write");
    default:
      return v.role === "speaker" || (v.role === null && me)
        ? t("you_speak", { name: partner })
        : t("you_listen", { name: partner });
  }
}

function phaseHint(c: Ctx): string | null {
  const { v, t, partner } = c;
  const speaker = v.role === "speaker";
  const keys: Record<string, [Key | null, Key | null]> = {
    shown: ["phase_shown_speaker", "phase_shown_listener"],
    speaking: [null, "phase_speaking_listener"],
    reflecting: ["phase_reflecting_speaker", "phase_reflecting_listener"],
    confirming: ["phase_confirming_speaker", "phase_confirming_listener"],
  };
  const pair = keys[v.phase];
  if (!pair) return null;
  const key = speaker ? pair[0] : pair[1];
  return key ? t(key, { name: partner }) : null;
}

function badge(c: Ctx, card: CardView): string | null {
  const { t } = c;
  if (card.closing) return t("closing_card");
  if (card.mode === "reveal") return t("card_reveal");
  if (card.kind === "action") return t("card_action");
  if (card.both || card.mode === "both") return t("card_both");
  return null;
}

export function cardView(c: Ctx, card: CardView): HTMLElement {
  const b = badge(c, card);
  const lvl = card.level === null ? null : levelName(c.v, card.level);
  return h("article", { class: `card ${card.closing ? "closing" : ""}`, "aria-labelledby": "card-text", "data-key": `card-${card.id}` },
    h("div", { class: "card-meta" },
      lvl ? h("span", { class: "chip" }, lvl) : null,
      b ? h("span", { class: "chip accent", "data-ui": "card-badge" }, b) : null,
      card.starred ? h("span", { class: "chip star", "aria-label": c.t("star") }, "★") : null),
    h("p", { class: "card-text", id: "card-text", lang: c.v.language, "data-ui": "card-text" }, card.text),
    card.both && card.half === 1 ? h("p", { class: "hint" }, c.t("half_two")) : null,
    card.tags.length ? h("p", { class: "tags-line" }, card.tags.map((tg) => tg.label).join(" · ")) : null);
}

function textBox(c: Ctx, kind: string, label: string, fallback = ""): HTMLElement {
  const id = `text-${kind}`;
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    h("textarea", {
      id,
      rows: "4",
      maxlength: "2000",
      "aria-describedby": `${id}-hint`,
      "data-key": c.app.draftKey(kind),
      "data-ui": `text-${kind}`,
      value: c.app.draft(kind, fallback),
      oninput: (e: Event) => c.app.setDraft(kind, (e.target as HTMLTextAreaElement).value),
    }),
    h("p", { class: "hint", id: `${id}-hint` }, c.t("draft_hint")));
}

function passControls(c: Ctx): Child[] {
  if (!can(c, "pass")) return [];
  const card = c.v.card;
  const tagged = card && card.tags.length > 0 && c.v.phase !== "writing";
  return [
    tagged ? h("div", { class: "check" },
      h("input", { type: "checkbox", id: "avoid", "data-ui": "avoid-topic", checked: c.app.s.avoidTopic,
        onchange: (e: Event) => { c.app.s.avoidTopic = (e.target as HTMLInputElement).checked; } }),
      h("label", { for: "avoid" }, c.t("avoid_topic"))) : null,
    actBtn(c, "pass", c.t("pass"), { before: () => ({ avoid_topic: Boolean(tagged && c.app.s.avoidTopic) }) }),
  ];
}

function said(label: string, text: string | null): HTMLElement | null {
  return text ? h("blockquote", { class: "said" }, h("p", { class: "hint" }, label), h("p", null, text)) : null;
}

function turnArea(c: Ctx): Child[] {
  const { v, t, app, partner } = c;
  const out: Child[] = [];
  const speaker = v.role === "speaker";
  if (v.phase === "speaking" && speaker && can(c, "done_speaking"))
    out.push(textBox(c, "answer", t("your_answer")),
      actBtn(c, "done_speaking", t("done_speaking"), { cls: "primary", before: () => {
        const text = app.draft("answer").trim();
        return text ? { text } : {};
      } }));
  if (v.phase === "reflecting" && !speaker) {
    out.push(said(t("their_answer", { name: partner }), v.spoken));
    if (v.card?.follow_ups.length)
      out.push(h("section", { class: "follow-ups", "aria-labelledby": "fu-title" },
        h("h3", { id: "fu-title" }, t("follow_ups")), h("ul", null, v.card.follow_ups.map((f) => h("li", null, f)))));
    if (can(c, "reflect"))
      out.push(textBox(c, "reflect", t("your_reflection")),
        actBtn(c, "reflect", t("reflect"), { cls: "primary", before: () => {
          const text = app.draft("reflect").trim();
          return text ? { text } : {};
        } }));
  }
  if (v.phase === "confirming" && speaker) out.push(said(t("their_reflection", { name: partner }), v.reflection));
  if (v.phase === "confirming" || v.phase === "reflecting")
    out.push(maybe(c, "felt_heard", t("felt_heard"), { cls: "primary" }), maybe(c, "try_again", t("try_again")));
  if (v.phase === "writing") out.push(...revealArea(c));
  out.push(maybe(c, "answer", t("answer"), { cls: "primary" }), ...passControls(c), maybe(c, "skip", t("skip")));
  return out;
}

function revealArea(c: Ctx): Child[] {
  const { v, t, app, partner } = c;
  const r = v.reveal;
  const mine = r?.submitted[v.you] ?? false;
  const theirs = r?.submitted[1 - v.you] ?? false;
  return [
    can(c, "write_reveal") ? textBox(c, "reveal", t("reveal_text"), r?.mine ?? "") : null,
    maybe(c, "write_reveal", mine ? t("update_reveal") : t("write_reveal"), { cls: "primary", before: () => {
      const text = app.draft("reveal", r?.mine ?? "").trim();
      return text ? { text } : null;
    } }),
    mine ? h("p", { class: "hint", role: "status" }, t("reveal_sent")) : null,
    h("p", { class: "hint" }, theirs ? t("reveal_partner_sent", { name: partner }) : t("reveal_partner_writing", { name: partner })),
  ];
}

function revealedArea(c: Ctx): HTMLElement | null {
  const { v, t } = c;
  if (!v.revealed) return null;
  const names = v.seats.map((s, i) => (i === v.you ? t("you_label") : s.name || t("partner_label")));
  return h("section", { class: "panel revealed", "aria-labelledby": "revealed-title", "data-ui": "revealed" },
    h("h2", { id: "revealed-title" }, t("revealed")),
    h("p", { class: "hint" }, v.revealed.card.text),
    v.revealed.answers.map((a, i) => h("blockquote", { class: "said" }, h("p", { class: "hint" }, names[i]), h("p", null, a))));
}

function reactions(c: Ctx): Child[] {
  const { v, t, partner } = c;
  const line = (r: { by: number; reaction: string }): string => {
    const heart = r.reaction === "heart";
    if (r.by === v.you) return heart ? `♥ ${t("reaction_mine_heart")}` : t("reaction_mine_me_too");
    return heart ? `♥ ${t("reaction_heart", { name: partner })}` : t("reaction_me_too", { name: partner });
  };
  const shown = v.reactions.length
    ? h("ul", { class: "reactions", "aria-live": "polite" }, v.reactions.map((r) => h("li", null, line(r))))
    : null;
  const buttons = can(c, "react")
    ? h("div", { class: "row" },
        actBtn(c, "react", `♥ ${t("react_heart")}`, { args: { reaction: "heart" }, key: "react:heart" }),
        actBtn(c, "react", t("react_me_too"), { args: { reaction: "me_too" }, key: "react:me_too" }))
    : null;
  return [shown, buttons];
}

function levelArea(c: Ctx): HTMLElement | null {
  const { v, t, partner } = c;
  const p = v.proposal;
  const to = p ? levelName(v, p.to_level) : "";
  const stepBack = can(c, "step_back")
    ? v.deck.levels.slice(0, v.level).map((_, i) =>
        actBtn(c, "step_back", t("step_back", { level: levelName(v, i) }), { args: { level: i }, key: `step_back:${i}` }))
    : [];
  const buttons = [
    maybe(c, "accept_deeper", t("accept_deeper"), { cls: "primary" }),
    maybe(c, "decline_deeper", t("decline_deeper")),
    maybe(c, "withdraw_proposal", t("withdraw_proposal")),
    maybe(c, "propose_deeper", t("propose_deeper")),
  ].filter(Boolean);
  if (!p && !buttons.length && !stepBack.length) return null;
  return h("section", { class: "panel levels", "aria-label": t("step_back_title"), "data-key": "levels" },
    p && p.by === v.you ? h("p", { role: "status" }, t("proposal_mine", { level: to, name: partner })) : null,
    p && p.by !== v.you ? h("p", { role: "status", class: "big" }, t("proposal_theirs", { level: to, name: partner })) : null,
    p ? h("p", { class: "hint" }, v.deck.levels[p.to_level]?.description ?? "") : null,
    buttons.length ? h("div", { class: "row" }, buttons) : null,
    stepBack.length ? h("div", { class: "row" }, stepBack) : null);
}

export function starControls(c: Ctx): Child[] {
  const { v, t } = c;
  const label = v.card ? t("star") : t("star_last");
  const out: Child[] = [maybe(c, "star", `☆ ${label}`)];
  if (!can(c, "unstar")) return out;
  const text = (id: string, i: number): string =>
    v.summary?.starred.find((s) => s.id === id)?.text ?? (v.card?.id === id ? v.card.text : t("starred_n", { n: i + 1 }));
  const buttons = v.stars.map((id, i) =>
    actBtn(c, "unstar", `★ ${t("unstar")}: ${text(id, i)}`, { args: { card: id }, key: `unstar:${id}`, cls: "small" }));
  if (v.phase === "ended") out.push(...buttons);
  else out.push(h("details", { class: "stars", "data-key": "stars" },
    h("summary", null, `${t("stars")} (${v.stars.length})`), h("div", { class: "stack" }, buttons)));
  return out;
}

function rowOf(...kids: Child[]): HTMLElement | null {
  const real = kids.flat(3).filter(Boolean);
  return real.length ? h("div", { class: "row" }, real) : null;
}

export function playScreen(c: Ctx): HTMLElement {
  const { v, t, app, partner } = c;
  const hint = phaseHint(c);
  // "Time for a new card" is said once, to the table between cards: never while
  // someone is speaking (the round's end waits for the turn, and so do its words).
  const due = v.new_card_due && v.phase === "between";
  const notice = v.notice && v.notice !== "time_for_new_card" ? t(`notice_${v.notice}` as Key) : null;
  return h("div", { class: "screen play", "data-screen": "play", "data-phase": v.phase },
    h("h1", { class: "visually-hidden", tabindex: "-1" },
      t("level_of", { n: v.level + 1, total: v.deck.levels.length, name: levelName(v, v.level) })),
    h("p", { class: "status-line", role: "status", "data-ui": "status-line", tabindex: "-1" }, statusLine(c)),
    notice ? h("p", { class: "notice", "data-ui": "notice" }, notice) : null,
    v.exhausted ? h("p", { class: "notice" }, t("exhausted")) : null,
    due ? h("p", { class: "notice", "data-ui": "new-card-due" }, t("new_card_due")) : null,
    revealedArea(c),
    v.card ? cardView(c, v.card) : null,
    hint ? h("p", { class: "phase-hint" }, hint) : null,
    app.s.partnerTyping ? h("p", { class: "typing", role: "status", "data-ui": "typing" }, t("writing", { name: partner })) : null,
    h("div", { class: "actions stack" }, maybe(c, "draw", t("draw"), { cls: "primary" }), ...turnArea(c)),
    ...reactions(c),
    rowOf(...starControls(c), maybe(c, "skip_closing", t("skip_closing"))),
    levelArea(c),
  );
}
