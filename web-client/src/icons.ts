// Closeknit's own small icon set: drawn here on a 24-unit grid, one 2-unit round stroke,
// no fill unless an icon is "solid" (a given star, a sent heart). Inline SVG, coloured
// by currentColor (so the level colours and the dark scheme carry over) and sized in em
// (so an icon follows the type scale of the control it sits in). Every icon is
// aria-hidden: the control keeps its own words (a visible label or an aria-label).

import { svg } from "./dom";

const PATHS = {
  menu: "M4 7h16M4 12h16M4 17h16",
  pause: "M7.5 5.5h2.5v13H7.5zM14 5.5h2.5v13H14z",
  resume: "M8 5.2v13.6L18.6 12z",
  pass: "M5.5 7l5 5-5 5M12.5 7l5 5-5 5",
  star: "M12 3.4l2.3 6 6.4.4-5 4 1.7 6.2-5.4-3.5-5.4 3.5 1.7-6.2-5-4 6.4-.4z",
  heart: "M12 19.6C6.8 16.2 3.8 13 3.8 9.6a4.1 4.1 0 0 1 8.2-1.3 4.1 4.1 0 0 1 8.2 1.3c0 3.4-3 6.6-8.2 10z",
  spark: "M12 3.5c.7 5.2 3.3 7.8 8.5 8.5-5.2.7-7.8 3.3-8.5 8.5-.7-5.2-3.3-7.8-8.5-8.5 5.2-.7 7.8-3.3 8.5-8.5z",
  close: "M6.5 6.5l11 11M17.5 6.5l-11 11",
  back: "M14.5 5.5L8 12l6.5 6.5",
  forward: "M9.5 5.5L16 12l-6.5 6.5",
  share: "M12 14.5V3.5M7.8 7.7L12 3.5l4.2 4.2M8 11H6.5A1.5 1.5 0 0 0 5 12.5v6A1.5 1.5 0 0 0 6.5 20h11a1.5 1.5 0 0 0 1.5-1.5v-6a1.5 1.5 0 0 0-1.5-1.5H16",
  invite: "M9.5 11.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM3.5 20c.4-3.5 2.8-5.5 6-5.5s5.6 2 6 5.5M19 8.5v6M16 11.5h6",
  copy: "M9 8.5h9.5a1 1 0 0 1 1 1V20a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V9.5a1 1 0 0 1 1-1zM16 8.5V5a1 1 0 0 0-1-1H5.5a1 1 0 0 0-1 1v10.5a1 1 0 0 0 1 1H8",
  skip: "M4 12h14.5M13.5 7l5 5-5 5",
  stepBack: "M9 14.5L4.5 10 9 5.5M4.5 10H14a5 5 0 0 1 0 10h-3",
  end: "M14 4h4a1.5 1.5 0 0 1 1.5 1.5v13A1.5 1.5 0 0 1 18 20h-4M9.5 16.5L5 12l4.5-4.5M5 12h10",
  trash: "M4 7h16M9.5 7V4.5h5V7M6.5 7l1 12.5h9l1-12.5M10.2 11v5M13.8 11v5",
  lock: "M7 11h10a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1zM8.5 11V8a3.5 3.5 0 0 1 7 0v3",
  globe: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3.5 12h17M12 3c-2.3 2.6-3.5 5.6-3.5 9s1.2 6.4 3.5 9c2.3-2.6 3.5-5.6 3.5-9S14.3 5.6 12 3z",
  check: "M5 12.5l4.5 4.5L19 7.5",
} as const;

export type IconName = keyof typeof PATHS;
export const ICON_NAMES = Object.keys(PATHS) as IconName[];

/** An icon for a control that names itself; `solid` fills it (a given star, a heart). */
export function icon(name: IconName, solid = false): Element {
  return svg("svg", {
    class: `icon icon-${name}${solid ? " solid" : ""}`,
    viewBox: "0 0 24 24",
    "aria-hidden": "true",
    focusable: "false",
    fill: solid ? "currentColor" : "none",
    stroke: "currentColor",
    "stroke-width": "2",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
  }, svg("path", { d: PATHS[name] }));
}
