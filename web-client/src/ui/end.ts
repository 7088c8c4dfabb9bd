// The summary: how many cards, a small picture of the cards per level in the levels'
// colours, the time, and the starred questions as cards. One action: play again.

import { h, svg } from "../dom";
import { icon } from "../icons";
import { actBtn, can, levelName, maybe, type Ctx } from "./common";
import { bar } from "./play";

function levelsPicture(c: Ctx, completed: number[]): Element {
  const { v, t } = c;
  const most = Math.max(1, ...completed);
  const w = 100 / Math.max(1, completed.length);
  const bars = completed.map((n, i) => {
    const height = n ? 6 + (54 * n) / most : 1.5; // an empty level is a thin line, not a bar
    return svg("rect", { x: String(i * w + w * 0.18), y: String(64 - height), width: String(w * 0.64), height: String(height),
      rx: "3", class: `lvbar${i % 6}` });
  });
  const label = completed.map((n, i) => t("summary_level", { name: levelName(v, i), n })).join(", ");
  return svg("svg", { viewBox: "0 0 100 66", class: "levels-pic", role: "img", "aria-label": `${t("summary_per_level")}: ${label}`,
    preserveAspectRatio: "none" }, ...bars);
}

export function endScreen(c: Ctx): HTMLElement {
  const { v, t } = c;
  const s = v.summary;
  const unstar = (id: string): HTMLElement | null =>
    can(c, "unstar") && v.stars.includes(id)
      ? actBtn(c, "unstar", t("unstar"), { args: { card: id }, key: `unstar:${id}`, cls: "quiet small", icon: "star", solid: true })
      : null;
  return h("div", { class: "screen end", "data-screen": "end" },
    h("h1", { tabindex: "-1" }, t("summary_title")),
    s ? h("section", { class: "summary", "data-ui": "summary" },
      h("p", { class: "summary-total", "aria-hidden": "true" }, String(s.total)),
      h("p", { class: "big" }, t("summary_cards", { n: s.total })),
      h("h2", null, t("summary_per_level")),
      levelsPicture(c, s.completed),
      h("ul", { class: "levels-legend" }, s.completed.map((n, i) => h("li", null, t("summary_level", { name: levelName(v, i), n })))),
      h("p", null, t("summary_time", { min: Math.max(1, Math.round(s.seconds / 60)) })),
      h("h2", null, t("summary_starred_title")),
      s.starred.length
        ? h("div", { class: "starred-cards" }, s.starred.map((st) =>
            h("article", { class: "card compact", "data-key": `starred-${st.id}` },
              h("p", { class: "card-text" }, st.text), unstar(st.id))))
        : h("p", { class: "hint" }, t("summary_none_starred")),
    ) : null,
    h("p", { class: "hint" }, t("ended_text")),
    bar(c, { primary: maybe(c, "play_again", t("play_again"), { cls: "primary" }) }));
}
