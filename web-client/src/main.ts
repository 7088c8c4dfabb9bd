// Entry point: boots the controller and renders the current screen into #app.

import { App } from "./app";
import "./couple"; // the couple page's own parts of the shared screens (src/hooks.ts)
import { listen, patch, h } from "./dom";
import { ensureLang, pickLang } from "./i18n";
import { isDaily } from "./net";
import { Platform } from "./platform";
import { hooks } from "./hooks";
import { secondSeats } from "./state";
import { roomScreen } from "./ui/room";
import { syncSheets } from "./ui/sheet";
import { applyTheme, BRAND } from "./ui/theme";
import { knockScreen, nameScreen, startScreen, stoppedScreen } from "./ui/start";

const root = document.getElementById("app") as HTMLElement;
const live = document.getElementById("live") as HTMLElement;
const app = new App(pickLang(navigator.language));
// The App in front: this page's one seat, or on one phone the seat holding it now.
const front = (): App => hooks.page?.app() ?? app;
const platform = new Platform(front);
let lastScreen = "";

function screen(): HTMLElement {
  if (hooks.page) return hooks.page.screen();
  const s = app.s;
  // A daily space (issue 22): its own chunk draws it, the stopped screen too.
  if (isDaily(s.room) && hooks.daily && (s.route === "room" ? s.daily : s.route === "stopped" && s.stop === "deleted"))
    return hooks.daily.screen(app);
  if (s.route === "room" && s.view) return roomScreen(app, s.view);
  if (s.route === "room")
    return h("div", { class: "screen", "data-screen": "connecting" },
      h("h1", { class: "visually-hidden", tabindex: "-1" }, app.t()("app_name")),
      h("p", { class: "big", role: "status" }, app.t()("connecting")));
  if (s.route === "name") return nameScreen(app);
  if (s.route === "knocking") return knockScreen(app);
  if (s.route === "stopped") return stoppedScreen(app);
  return startScreen(app);
}

function render(): void {
  const app = front();
  const lang = app.lang();
  if (!ensureLang(lang, render)) return; // its words first: then this renders again
  document.documentElement.lang = lang;
  document.title = app.t()("app_name");
  if (app.s.route !== "room" || !(app.s.view || app.s.daily) || hooks.page) applyTheme(BRAND);
  const next = h("div", null, screen());
  patch(root, next);
  syncSheets(root, app);
  const name = root.querySelector("[data-screen]")?.getAttribute("data-screen") ?? "";
  const lost = document.activeElement === document.body || document.activeElement === null;
  if (name !== lastScreen || lost) {
    // A new screen, or the focused control went away (its action was done): continue
    // from the screen's status line or heading, not from the top of the document.
    const fresh = name !== lastScreen;
    lastScreen = name;
    // (Both carry tabindex="-1" in their screens, so a re-render keeps them focusable.)
    const target = root.querySelector<HTMLElement>(fresh ? "h1" : "[data-ui=status-line], h1");
    if (target && lost) target.focus({ preventScroll: !fresh });
  }
  // A knock is an alert dialog: move focus to it, unless the person is typing.
  if (app.s.focusKnock) {
    app.s.focusKnock = false;
    const typing = document.activeElement?.matches("input, textarea, select");
    if (!typing) root.querySelector<HTMLElement>("[data-ui=admit]")?.focus();
  }
  if (live.textContent !== app.s.announce) live.textContent = app.s.announce;
  root.dataset.screen = name;
  // Read-only copy of the last view for tests and debugging.
  const shown = app.s.view ?? app.s.daily; // a daily space's view is its own (issue 22)
  (window as unknown as { __closeknitView: unknown }).__closeknitView = shown ? JSON.parse(JSON.stringify(shown)) : null;
  root.dataset.version = String(shown?.version ?? "");
  root.dataset.pending = String(app.s.pending.size);
  root.dataset.status = app.s.status;
  platform.afterRender(); // screen on, background cues, drafts: src/platform
}

listen(root);
app.onRender(render);
// One phone, side by side (issue 21): a room this page holds both seats of, or a seat
// handed over from another phone, boots the one-phone page (its own chunk).
const hash = new URLSearchParams(location.hash.slice(1));
const held = hash.get("room");
if (hash.has("seat") || (held && secondSeats.get(held))) void import("./onephone").then((m) => m.boot(app, render));
else app.boot();
