// The play screen: the card as its hero, who speaks and who listens, and under it this
// seat's one primary action at thumb height, with Pass (the speaker) and Pause (either)
// always beside it. Every action control still comes from `legal`.

import { h, type Child } from "../dom";
import type { Key } from "../i18n";
import { icon } from "../icons";
import type { CardView } from "../types";
import { actBtn, can, levelName, maybe, type Ctx } from "./common";
import { hooks } from "../hooks";

export function statusLine(c: Ctx): string {
  const { v, t, partner } = c;
  const me = v.speaker === v.you;
  switch (v.phase) {
    case "between": {
      // Never "your turn to draw" while a proposal or an empty level blocks the draw.
      const p = v.proposal;
      if (p) return p.by === v.you ? t("proposal_waiting", { name: partner }) : t("proposal_answer_first", { name: partner });
      if (talking(c)) return t("talk_title");
      if (can(c, "draw")) return t("you_draw");
      if (v.exhausted) return t("no_cards_left");
      return me ? t("waiting_for", { name: partner }) : t("partner_draws", { name: partner });
    }
    case "writing":
      return t("both_write");
    default:
      // One phone: the large line above the card names who speaks and who listens.
      if (c.app.onePhone) return "";
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

/** The card. A new card is a new element (its key is its id), so it flips in once. */
export function cardView(c: Ctx, card: CardView, compact = false): HTMLElement {
  const b = badge(c, card);
  const lvl = card.level === null ? null : levelName(c.v, card.level);
  return h("article", { class: `card ${card.closing ? "closing" : ""} ${compact ? "compact" : ""}`, "aria-labelledby": "card-text", "data-key": `card-${card.id}`, "data-ui": "card" },
    h("div", { class: "card-meta" },
      lvl ? h("span", { class: "chip" }, lvl) : null,
      b ? h("span", { class: "chip", "data-ui": "card-badge" }, b) : null,
      card.starred ? h("span", { class: "chip star" }, icon("star", true), c.t("star_on")) : null),
    h("div", { class: "card-body" },
      h("p", { class: "card-text", id: "card-text", lang: c.v.language, "data-ui": "card-text" }, card.text)),
    card.both && card.half === 1 ? h("p", { class: "card-foot" }, c.t("half_two")) : null,
    card.tags.length ? h("p", { class: "card-foot" }, card.tags.map((tg) => tg.label).join(" · ")) : null);
}

// Spoken turns are talked first: their typing box waits behind "Type instead" (opened
// here per room, card and half, or at once when a draft is already there). A reveal
// card is written by design: its box shows at once.
const opened = new Set<string>();

function spokenBox(c: Ctx, kind: string, label: string): HTMLElement {
  const key = c.app.draftKey(kind);
  if (opened.has(key) || c.app.draft(kind, "").trim()) return textBox(c, kind, label);
  return h("button", {
    type: "button",
    class: "btn quiet type-instead",
    "data-ui": `type-${kind}`,
    onclick: () => {
      opened.add(key);
      c.app.render();
      document.getElementById(`text-${kind}`)?.focus();
    },
  }, c.t("type_instead"));
}

function textBox(c: Ctx, kind: string, label: string, fallback = ""): HTMLElement {
  const id = `text-${kind}`;
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    h("textarea", {
      id,
      rows: "3",
      maxlength: "2000",
      "aria-describedby": `${id}-hint`,
      "data-key": c.app.draftKey(kind),
      "data-ui": `text-${kind}`,
      value: c.app.draft(kind, fallback),
      oninput: (e: Event) => c.app.setDraft(kind, (e.target as HTMLTextAreaElement).value),
    }),
    h("p", { class: "hint", id: `${id}-hint` }, c.t("draft_hint")));
}

export interface BarParts {
  primary: Child;
  quiet?: Child[];
  wait?: string;
  side?: Child[];
  above?: Child;
}

/** The bottom bar: Pause, the one primary action (or what we wait for), Pass. */
export function bar(c: Ctx, parts: BarParts): HTMLElement {
  const { v, t } = c;
  const quiet = (parts.quiet ?? []).flat(3).filter(Boolean);
  const pause = !v.paused.me ? maybe(c, "pause", t("pause"), { cls: "pause-btn tool", icon: "pause" }) : null;
  return h("div", { class: "bar", "data-ui": "bar" },
    parts.above ?? null,
    quiet.length ? h("div", { class: "bar-quiet" }, quiet) : null,
    h("div", { class: "bar-main" },
      pause,
      parts.primary || (parts.wait ? h("p", { class: "bar-wait" }, parts.wait) : null),
      ...(parts.side ?? []),
      passButton(c)));
}

function passButton(c: Ctx): HTMLElement | null {
  if (!can(c, "pass")) return null;
  const tagged = tagsToAvoid(c);
  return actBtn(c, "pass", c.t("pass"), { cls: "pass-btn tool", icon: "pass", before: () => ({ avoid_topic: Boolean(tagged && c.app.s.avoidTopic) }) });
}

function tagsToAvoid(c: Ctx): boolean {
  const card = c.v.card;
  return Boolean(card && card.tags.length > 0 && c.v.phase !== "writing");
}

function avoidTopic(c: Ctx): HTMLElement | null {
  if (!can(c, "pass") || !tagsToAvoid(c)) return null;
  return h("div", { class: "check avoid" },
    h("input", { type: "checkbox", id: "avoid", "data-ui": "avoid-topic", checked: c.app.s.avoidTopic,
      onchange: (e: Event) => { c.app.s.avoidTopic = (e.target as HTMLInputElement).checked; } }),
    h("label", { for: "avoid" }, c.t("avoid_topic")));
}

function said(label: string, text: string | null): HTMLElement | null {
  return text ? h("blockquote", { class: "said" }, h("p", { class: "hint" }, label), h("p", null, text)) : null;
}

function withText(c: Ctx, kind: string, fallback = ""): Record<string, unknown> {
  const text = c.app.draft(kind, fallback).trim();
  return text ? { text } : {};
}

// What this seat does now: [work area under the card, the bar's parts].
function moment(c: Ctx): [Child[], BarParts] {
  const { v, t, app, partner } = c;
  const speaker = v.role === "speaker";
  const wait = t("waiting_for", { name: partner });
  switch (v.phase) {
    case "shown":
      return [[], { primary: maybe(c, "answer", t("answer"), { cls: "primary" }), wait,
        quiet: [maybe(c, "skip_closing", t("skip_closing"), { cls: "quiet" })], above: avoidTopic(c) }];
    case "speaking":
      if (speaker)
        return [[can(c, "done_speaking") ? spokenBox(c, "answer", t("your_answer")) : null],
          { primary: maybe(c, "done_speaking", t("done_speaking"), { cls: "primary", before: () => withText(c, "answer") }),
            above: avoidTopic(c), quiet: [maybe(c, "skip_closing", t("skip_closing"), { cls: "quiet" })] }];
      return [[], { primary: null, side: reactButtons(c), quiet: [maybe(c, "skip_closing", t("skip_closing"), { cls: "quiet" })] }];
    case "reflecting":
      if (!speaker) {
        const fu = v.card?.follow_ups.length
          ? h("section", { class: "follow-ups", "aria-labelledby": "fu-title" },
              h("h3", { id: "fu-title" }, t("follow_ups")), h("ul", null, v.card.follow_ups.map((f) => h("li", null, f))))
          : null;
        return [[said(t("their_answer", { name: partner }), v.spoken), fu, can(c, "reflect") ? spokenBox(c, "reflect", t("your_reflection")) : null],
          { primary: maybe(c, "reflect", t("reflect"), { cls: "primary", before: () => withText(c, "reflect") }),
            quiet: [maybe(c, "skip_closing", t("skip_closing"), { cls: "quiet" })] }];
      }
      return [[], { primary: null, wait, quiet: [maybe(c, "skip_closing", t("skip_closing"), { cls: "quiet" })] }];
    case "confirming":
      return [[speaker ? said(t("their_reflection", { name: partner }), v.reflection) : null],
        { primary: maybe(c, "felt_heard", t("felt_heard"), { cls: "primary" }), wait,
          quiet: [maybe(c, "try_again", t("try_again"), { cls: "quiet" }), maybe(c, "skip_closing", t("skip_closing"), { cls: "quiet" })] }];
    case "writing":
      return [revealArea(c), { primary: maybe(c, "write_reveal", v.reveal?.submitted[v.you] ? t("update_reveal") : t("write_reveal"), {
        cls: "primary", before: () => {
          const text = app.draft("reveal", v.reveal?.mine ?? "").trim();
          return text ? { text } : null;
        } }), wait }];
    default:
      return between(c);
  }
}

function between(c: Ctx): [Child[], BarParts] {
  const { v, t, partner, app } = c;
  if (v.proposal)
    return [[], { primary: maybe(c, "accept_deeper", t("accept_deeper"), { cls: "primary" }), wait: t("waiting_for", { name: partner }),
      quiet: [maybe(c, "decline_deeper", t("decline_deeper"), { cls: "quiet" }), maybe(c, "withdraw_proposal", t("withdraw_proposal"), { cls: "quiet" })] }];
  if (talking(c)) {
    const id = v.revealed?.card.id ?? "";
    const talked = h("button", { type: "button", class: "btn primary", "data-ui": "talked", "data-primary": "",
      onclick: () => { app.s.talked = id; app.render(); } }, t("talked"));
    return [[], { primary: talked, quiet: [maybe(c, "draw", t("draw_next"), { cls: "quiet" })] }];
  }
  return [[deeperHint(c)], {
    primary: maybe(c, "draw", t("draw"), { cls: "primary" }),
    wait: v.speaker === v.you ? undefined : t("partner_draws", { name: partner }),
    quiet: [maybe(c, "propose_deeper", t("propose_deeper"), { cls: "quiet" })],
  }];
}

/** Says why "Propose going deeper" is not offered yet (the deck's level minimum). */
export function deeperHint(c: Ctx): HTMLElement | null {
  const { v, t } = c;
  if (v.phase !== "between" || v.proposal || can(c, "propose_deeper") || v.exhausted) return null;
  if (v.level + 1 >= v.deck.levels.length || (v.level_cap !== null && v.level + 1 > v.level_cap)) return null;
  const need = (v.deck.levels[v.level]?.min_cards ?? 0) - (v.progress.completed[v.level] ?? 0);
  const text = need > 0 ? t("more_cards_n", { n: need })
    : v.notice === "staying" ? t("wait_after_decline_hint") : null;
  return text ? h("p", { class: "hint", "data-ui": "deeper-hint" }, text) : null;
}

function revealArea(c: Ctx): Child[] {
  const { v, t, partner } = c;
  const r = v.reveal;
  const mine = r?.submitted[v.you] ?? false;
  const theirs = r?.submitted[1 - v.you] ?? false;
  return [
    can(c, "write_reveal") ? textBox(c, "reveal", t("reveal_text"), r?.mine ?? "") : null,
    mine ? h("p", { class: "hint", role: "status" }, t("reveal_sent")) : null,
    h("p", { class: "hint" }, theirs ? t("reveal_partner_sent", { name: partner }) : t("reveal_partner_writing", { name: partner })),
  ];
}

/** "Talk about it": both answers, until this page says "we talked" or a card is drawn. */
export function talking(c: Ctx): boolean {
  const { v, app } = c;
  return v.phase === "between" && !v.proposal && v.revealed !== null && app.s.talked !== v.revealed.card.id;
}

function answers(c: Ctx): HTMLElement | null {
  const { v, t } = c;
  if (!v.revealed) return null;
  // On one phone (issue 21) "you" would be whoever holds it: each answer by its name.
  const names = v.seats.map((s, i) => (i === v.you && !c.app.onePhone ? t("you_label") : s.name || t("partner_label")));
  // Both flip at once: the same animation starts on both cards in the same frame.
  return h("section", { class: "answers", "aria-labelledby": "revealed-title", "data-ui": "revealed", "data-key": `rev-${v.revealed.card.id}` },
    h("h2", { id: "revealed-title", class: "visually-hidden" }, t("revealed")),
    v.revealed.answers.map((a, i) => h("div", { class: "answer-card" }, h("p", { class: "who" }, names[i]), h("p", { class: "text" }, a))));
}

function reactButtons(c: Ctx): HTMLElement[] {
  const { t } = c;
  if (!can(c, "react")) return [];
  return [
    actBtn(c, "react", "", { args: { reaction: "heart" }, key: "react:heart", aria: t("react_heart"), icon: "heart", cls: "react" }),
    actBtn(c, "react", t("react_me_too"), { args: { reaction: "me_too" }, key: "react:me_too", icon: "spark", cls: "react" }),
  ];
}

function reactions(c: Ctx): Child[] {
  const { v, t, partner } = c;
  if (!v.reactions.length) return [];
  const line = (r: { by: number; reaction: string }): string => {
    const heart = r.reaction === "heart";
    if (r.by === v.you) return heart ? t("reaction_mine_heart") : t("reaction_mine_me_too");
    return heart ? t("reaction_heart", { name: partner }) : t("reaction_me_too", { name: partner });
  };
  // The list says it in words; the floating ones rise once and fade (decoration only).
  return [
    h("div", { class: "floats", "aria-hidden": "true" },
      v.reactions.map((r, i) => h("span", { class: "float", "data-key": `float-${i}` }, icon(r.reaction === "heart" ? "heart" : "spark", true)))),
    h("ul", { class: "reactions", "aria-live": "polite" },
      v.reactions.map((r) => h("li", null, icon(r.reaction === "heart" ? "heart" : "spark", true), line(r)))),
  ];
}

// The hero between cards: the deck's back, a proposal, or the step deeper together.
function betweenHero(c: Ctx): HTMLElement {
  const { v, t, partner } = c;
  const lv = v.deck.levels[v.level];
  const p = v.proposal;
  if (p) {
    const to = levelName(v, p.to_level);
    return h("article", { class: "card back deeper", "data-key": `proposal-${p.by}-${p.to_level}`, "data-ui": "proposal" },
      h("p", { class: "card-text", role: "status" },
        p.by === v.you ? t("proposal_mine", { level: to, name: partner }) : t("proposal_theirs", { level: to, name: partner })),
      h("p", { class: "card-foot" }, v.deck.levels[p.to_level]?.description ?? ""));
  }
  if (v.notice === "level_raised")
    return h("article", { class: "card back deeper", "data-key": `deeper-${v.level}`, "data-ui": "deeper" },
      h("p", { class: "mark" }, t("deeper_title")),
      h("p", { class: "card-text" }, t("deeper_now", { level: levelName(v, v.level) })),
      h("p", { class: "card-foot" }, lv?.description ?? ""));
  return h("article", { class: "card back", "data-key": `back-${v.level}` },
    h("p", { class: "mark" }, h("span", { class: "mark-dot", "aria-hidden": "true" }), t("app_name")),
    h("p", { class: "card-text" }, v.speaker === v.you ? t("your_turn_draw") : t("partner_turn_draw", { name: partner })),
    h("p", { class: "card-foot" }, `${levelName(v, v.level)}: ${lv?.description ?? ""}`));
}

export function playScreen(c: Ctx): HTMLElement {
  const { v, t, app, partner } = c;
  const hint = phaseHint(c);
  // "Time for a new card" is said once, to the table between cards: never while
  // someone is speaking (the round's end waits for the turn, and so do its words).
  const due = v.new_card_due && v.phase === "between";
  const notice = v.notice && v.notice !== "time_for_new_card" && v.notice !== "level_raised" ? t(`notice_${v.notice}` as Key) : null;
  const [work, parts] = moment(c);
  const typing = work.some(Boolean);
  const talk = talking(c);
  const hero = talk && v.revealed ? cardView(c, v.revealed.card, true) : v.card ? cardView(c, v.card, typing) : betweenHero(c);
  return h("div", { class: "screen play", "data-screen": "play", "data-phase": v.phase },
    h("h1", { class: "visually-hidden", tabindex: "-1" },
      t("level_of", { n: v.level + 1, total: v.deck.levels.length, name: levelName(v, v.level) })),
    h("div", { class: "stage" }, hero),
    talk ? answers(c) : null,
    h("p", { class: "status-line", role: "status", "data-ui": "status-line", tabindex: "-1" }, statusLine(c)),
    talk ? h("p", { class: "phase-hint" }, t("talk_hint")) : null,
    hint ? h("p", { class: "phase-hint" }, hint) : null,
    notice ? h("p", { class: "notice", "data-ui": "notice" }, notice) : null,
    v.exhausted ? h("p", { class: "notice" }, t("exhausted")) : null,
    hooks.betweenNotice?.(c) ?? null,
    due ? h("p", { class: "notice", "data-ui": "new-card-due" }, t("new_card_due")) : null,
    app.s.partnerTyping ? h("p", { class: "typing", role: "status", "data-ui": "typing" }, t("writing", { name: partner })) : null,
    h("div", { class: "work" }, work),
    ...reactions(c),
    bar(c, parts),
  );
}
