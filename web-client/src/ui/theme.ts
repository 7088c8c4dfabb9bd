// The colour a screen takes on: the level's (from the deck, or our own palette), turned
// into a light and a dark set of tokens whose text keeps WCAG AA contrast whatever colour
// a deck names. The tokens go on <html> through the CSSOM (the CSP allows no inline
// style attribute); styles.css picks the light or the dark set by prefers-color-scheme.

type RGB = [number, number, number];

// For decks that name no colours: warm to deep.
const PALETTE = ["#e0a24f", "#d0637a", "#7b5aa6", "#4f8fa8", "#6d9a5a", "#b07a4f"];
export const BRAND = "#d0637a";
export const CALM = "#7d8ca3"; // the pause screen: a breath, not a level

const INK_L: RGB = [31, 27, 36];
const INK_D: RGB = [244, 239, 246];
const PAPER_L: RGB = [255, 251, 246];
const NIGHT_D: RGB = [20, 17, 24];
const WHITE: RGB = [255, 255, 255];
const BLACK: RGB = [0, 0, 0];

function rgb(hex: string): RGB {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const n = parseInt(m ? m[1] : BRAND.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex(c: RGB): string {
  return `#${c.map((x) => Math.round(x).toString(16).padStart(2, "0")).join("")}`;
}

function mix(a: RGB, b: RGB, t: number): RGB {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function luminance(c: RGB): number {
  const ch = c.map((x) => {
    const s = x / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

export function contrast(a: RGB, b: RGB): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Moves `c` towards `to` until it has `ratio` contrast against every colour in `against`. */
function push(c: RGB, to: RGB, against: RGB[], ratio: number): RGB {
  let out = c;
  for (let i = 0; i <= 25 && against.some((a) => contrast(out, a) < ratio); i++) out = mix(c, to, i / 25);
  return out;
}

export type Tokens = Record<string, string>;

/** The light and the dark tokens for one base colour. */
export function tokens(base: string): { light: Tokens; dark: Tokens } {
  const c = rgb(base);
  const lBg = mix(PAPER_L, c, 0.1);
  const lCard = push(mix(WHITE, c, 0.26), WHITE, [INK_L], 9);
  const lAccent = push(c, BLACK, [WHITE, lBg], 4.6); // white text on it; a button on bg
  const lMuted = push(mix(INK_L, c, 0.45), BLACK, [lBg, lCard], 4.8);
  const dBg = mix(NIGHT_D, c, 0.12);
  const dCard = push(mix(NIGHT_D, c, 0.32), NIGHT_D, [INK_D], 9);
  const dAccent = push(c, WHITE, [NIGHT_D, dBg, dCard], 4.8); // dark text on it
  const dMuted = push(mix(INK_D, c, 0.35), WHITE, [dBg, dCard], 4.8);
  return {
    light: {
      bg: hex(lBg), surface: hex(mix(WHITE, c, 0.04)), card: hex(lCard), accent: hex(lAccent),
      "accent-soft": hex(mix(WHITE, c, 0.18)), muted: hex(lMuted), line: hex(mix(lBg, c, 0.45)),
    },
    dark: {
      bg: hex(dBg), surface: hex(mix(NIGHT_D, c, 0.18)), card: hex(dCard), accent: hex(dAccent),
      "accent-soft": hex(mix(NIGHT_D, c, 0.3)), muted: hex(dMuted), line: hex(mix(dBg, c, 0.5)),
    },
  };
}

export function levelColour(levels: { color?: string | null }[], i: number): string {
  const named = levels[i]?.color;
  return named && /^#[0-9a-f]{6}$/i.test(named) ? named : PALETTE[i % PALETTE.length];
}

let applied = "";

/** Puts the tokens of `base` (and a bar colour per level) on <html>. */
export function applyTheme(base: string, levels: { color?: string | null }[] = []): void {
  const key = `${base}|${levels.map((l) => l.color ?? "").join(",")}`;
  if (key === applied) return;
  applied = key;
  const root = document.documentElement.style;
  const t = tokens(base);
  for (const [k, v] of Object.entries(t.light)) root.setProperty(`--${k}-l`, v);
  for (const [k, v] of Object.entries(t.dark)) root.setProperty(`--${k}-d`, v);
  for (let i = 0; i < 6; i++) {
    const lv = tokens(levelColour(levels, i));
    root.setProperty(`--lv${i}-l`, lv.light.accent);
    root.setProperty(`--lv${i}-d`, lv.dark.accent);
  }
}
