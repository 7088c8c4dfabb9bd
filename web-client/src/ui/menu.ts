// The menu sheet: everything that is not this moment's one action (star, skip, stepping
// back, boundaries, language, light mode, apart, invite, end, delete) behind one button.
// Like every screen, it offers only what `legal` says.

import { h, type Child } from "../dom";
import { icon } from "../icons";
import { actBtn, boundaryCount, boundaryList, can, levelName, maybe, type Ctx } from "./common";
import { invitePanel } from "./invite";
import { languageField } from "./lobby";
import { hooks } from "../hooks";
import { opener, sheet } from "./sheet";

// An action taken from the menu closes it first: the screen then shows what it did.
const closing = (c: Ctx) => (): Record<string, unknown> => {
  c.app.s.sheet = null;
  return {};
};

function check(c: Ctx, action: string, id: string, on: boolean, label: string): HTMLElement | null {
  if (!can(c, action)) return null;
  const { app } = c;
  return h("div", { class: "check" },
    h("input", {
      type: "checkbox",
      id,
      "data-action": action,
      checked: on,
      disabled: app.s.pending.has(action),
      onchange: (e: Event) => app.act(action, { on: (e.target as HTMLInputElement).checked }),
    }),
    h("label", { for: id }, label));
}

function section(...kids: Child[]): HTMLElement | null {
  const real = kids.flat(3).filter(Boolean);
  return real.length ? h("section", null, h("div", { class: "menu-list" }, real)) : null;
}

function starPart(c: Ctx): Child[] {
  const { v, t } = c;
  const out: Child[] = [maybe(c, "star", v.card ? t("star") : t("star_last"), { cls: "quiet", icon: "star", before: closing(c) })];
  if (!can(c, "unstar") || v.phase === "ended") return out; // the summary unstars on its cards
  const text = (id: string, i: number): string =>
    v.card?.id === id ? v.card.text : t("starred_n", { n: i + 1 });
  out.push(h("details", { class: "stars", "data-key": "stars" },
    h("summary", null, `${t("stars")} (${v.stars.length})`),
    h("div", { class: "stack" }, v.stars.map((id, i) =>
      actBtn(c, "unstar", `${t("unstar")}: ${text(id, i)}`, { args: { card: id }, key: `unstar:${id}`, cls: "small", icon: "star", solid: true })))));
  return out;
}

function stepBack(c: Ctx): HTMLElement[] {
  const { v, t } = c;
  if (!can(c, "step_back")) return [];
  return v.deck.levels.slice(0, v.level).map((_, i) =>
    actBtn(c, "step_back", t("step_back", { level: levelName(v, i) }),
      { args: { level: i }, key: `step_back:${i}`, cls: "quiet", icon: "stepBack", before: closing(c) }));
}

function invitePart(c: Ctx): Child[] {
  const { app, v, t } = c;
  // One phone (issue 21): both seats are taken here; a seat moves by its own link.
  if (app.party || app.onePhone || (v.phase === "lobby" && !v.seats[1 - v.you]?.joined)) return [];
  return [
    h("button", { type: "button", class: "btn quiet", "data-ui": "toggle-invite", "aria-expanded": String(app.s.showInvite),
      "aria-controls": "invite", onclick: () => { app.s.showInvite = !app.s.showInvite; app.render(); } }, icon("invite"), t("invite_short")),
    app.s.showInvite ? invitePanel(app, true) : null,
  ];
}

function boundaryRow(c: Ctx): HTMLElement | null {
  if (!c.v.deck.tags.length || c.app.onePhone) return null; // one phone: its own hand-over screens
  return opener(c.app, "boundaries", "menu-boundaries",
    [icon("lock"), h("span", { class: "open-text" }, h("span", null, c.t("boundaries_short")), h("span", { class: "count" }, boundaryCount(c))),
      icon("forward")], "btn open-row");
}

export function menuSheet(c: Ctx): HTMLElement {
  const { v, t, app } = c;
  const ended = v.phase === "ended";
  const body = [
    section(...starPart(c), maybe(c, "skip", t("skip"), { cls: "quiet", icon: "skip", before: closing(c) }), ...stepBack(c)),
    section(boundaryRow(c), languageField(c),
      check(c, "set_light_mode", "lobby-light", v.light_mode, t("light_mode")),
      check(c, "set_apart", "lobby-apart", v.apart, t("apart_label"))),
    section(...invitePart(c)),
    app.party ? null : section(...(hooks.menuSection?.(app) ?? [])),
    section(maybe(c, "end", t("end"), { cls: "danger", icon: "end", before: closing(c) }),
      ended && !app.party ? h("button", { type: "button", class: "btn danger", "data-ui": "delete-room", disabled: app.s.pending.has("delete_room"),
        onclick: () => app.deleteRoom() }, icon("trash"), app.s.pending.has("delete_room") ? t("sending") : t("delete_room")) : null),
  ];
  return sheet(app, "menu", t("menu_title"), body);
}

export function boundarySheet(c: Ctx): HTMLElement {
  const { t, app } = c;
  return sheet(app, "boundaries", t("boundaries"), [
    h("p", { class: "big", "data-ui": "boundary-count" }, boundaryCount(c)),
    boundaryList(c),
    h("p", { class: "hint" }, t("boundaries_private")),
  ]);
}
