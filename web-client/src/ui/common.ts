// Pieces every room screen uses: action buttons tied to `legal`, banners, boundaries.

import type { App } from "../app";
import { h, type Child } from "../dom";
import type { T } from "../i18n";
import { icon, type IconName } from "../icons";
import { roomKeys } from "../state";
import type { View } from "../types";

export interface Ctx {
  app: App;
  v: View;
  t: T;
  partner: string;
  me: string;
}

export function ctxFor(app: App, v: View): Ctx {
  const t = app.t();
  const other = v.seats[1 - v.you];
  return {
    app,
    v,
    t,
    partner: other?.name?.trim() || t("partner_label"),
    me: v.seats[v.you]?.name ?? "",
  };
}

export function can(c: Ctx, name: string): boolean {
  return c.v.legal.includes(name);
}

interface BtnOpts {
  args?: Record<string, unknown>;
  key?: string;
  cls?: string;
  before?: () => Record<string, unknown> | null;
  /** A name for a button whose label is an icon alone (the heart). */
  aria?: string;
  /** An icon before the words (aria-hidden: the words or `aria` name the button). */
  icon?: IconName;
  solid?: boolean;
}

/** A button for one legal action. Callers render it only when the action is legal. */
export function actBtn(c: Ctx, name: string, label: string, opts: BtnOpts = {}): HTMLElement {
  const key = opts.key ?? name;
  const pending = c.app.s.pending.has(key);
  return h(
    "button",
    {
      type: "button",
      class: `btn ${opts.cls ?? ""}`.trim(),
      "data-action": name,
      "data-primary": opts.cls?.includes("primary") ? "" : null,
      "data-key": key,
      "aria-busy": pending ? "true" : null,
      "aria-label": opts.aria ?? null,
      disabled: pending,
      onclick: () => {
        const extra = opts.before ? opts.before() : {};
        if (extra === null) return;
        c.app.act(name, { ...(opts.args ?? {}), ...extra }, key);
      },
    },
    opts.icon ? icon(opts.icon, opts.solid) : null,
    pending ? c.t("sending") : label,
  );
}

/** Renders the button only when its action is legal now. */
export function maybe(c: Ctx, name: string, label: string, opts: BtnOpts = {}): HTMLElement | null {
  return can(c, name) ? actBtn(c, name, label, opts) : null;
}

/** The topics this seat may mark, privately (the boundaries sheet holds them). */
export function boundaryList(c: Ctx): HTMLElement {
  const { v, t } = c;
  const mine = new Set(v.boundaries);
  const items = v.deck.tags.map((tag) => {
    const marked = mine.has(tag.id);
    const action = marked ? "unmark_boundary" : "mark_boundary";
    const key = `boundary:${tag.id}`;
    const id = `b-${tag.id}`;
    const pending = c.app.s.pending.has(key);
    return h(
      "li",
      { "data-key": tag.id },
      h("input", {
        type: "checkbox",
        id,
        "data-action": action,
        checked: pending ? !marked : marked, // show the choice while it is on its way
        "aria-busy": pending ? "true" : null,
        disabled: !can(c, action) || pending,
        onchange: () => c.app.act(action, { tag: tag.id }, key),
      }),
      h("label", { for: id }, tag.label),
    );
  });
  return h("div", { class: "boundaries", "data-key": "boundaries" },
    h("p", { class: "hint", id: "boundaries-explain" }, t("boundaries_explain")),
    h("ul", { class: "tags", "aria-describedby": "boundaries-explain" }, items));
}

/** "2 topics off-limits": this seat's own count, never the partner's. */
export function boundaryCount(c: Ctx): string {
  const n = c.v.boundaries.length;
  return n === 0 ? c.t("boundaries_none") : c.t("boundaries_n", { n });
}

export function notices(c: Ctx): Child[] {
  const { app, t, partner } = c;
  const s = app.s;
  const out: Child[] = [];
  if (s.status !== "open" && s.everOpen)
    out.push(
      h("div", { class: "banner warn", role: "status", "data-key": "conn" },
        h("strong", null, t("reconnecting")), " ", t("draft_note")),
    );
  if (c.v.seats[1 - c.v.you]?.joined) {
    if (s.partnerOnline === false)
      out.push(h("div", { class: "banner calm", role: "status", "data-key": "away" }, t("partner_away", { name: partner })));
    else if (s.partnerBackUntil > Date.now())
      out.push(h("div", { class: "banner ok", role: "status", "data-key": "back" }, t("partner_back", { name: partner })));
  }
  if (s.error) out.push(h("div", { class: "banner error", role: "alert", "data-key": "error" }, s.error));
  // Let in by typed code without a key (issue 20); a party table's comes by exchange.
  if (s.sealed && !roomKeys.get(c.v.room) && !c.app.party)
    out.push(h("div", { class: "banner calm", role: "status", "data-key": "no-key", "data-ui": "no-key" }, t("sealed_need_key", { name: partner })));
  if (s.safety && c.v.phase === "lobby")
    out.push(h("div", { class: "banner calm", role: "status", "data-key": "safety" },
      t("safety_code", { name: partner }), " ", h("strong", { class: "mono", "data-ui": "safety-code" }, s.safety)));
  for (const k of s.knocks) out.push(admitPrompt(c, k.request, k.name, k.code));
  return out;
}

function admitPrompt(c: Ctx, request: string, name: string, code?: string): HTMLElement {
  const { t, app } = c;
  return h(
    "section",
    { class: "banner knock", role: "alertdialog", "aria-labelledby": `k-${request}`, "data-key": `knock-${request}` },
    h("p", { id: `k-${request}` }, name ? t("admit_named", { name }) : t("admit_prompt")),
    code ? h("p", { "data-ui": "knock-code" }, t("safety_admit", { code })) : null,
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn primary", "data-ui": "admit", onclick: () => app.admit(request, true) }, t("admit")),
      h("button", { type: "button", class: "btn", "data-ui": "decline-knock", onclick: () => app.admit(request, false) }, t("decline")),
    ),
  );
}

export function levelName(v: View, i: number): string {
  return v.deck.levels[i]?.name ?? String(i + 1);
}
