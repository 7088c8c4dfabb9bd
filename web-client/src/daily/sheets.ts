// The daily space's sheets (issue 22): the menu (boundaries, your day, notifications,
// step back, delete), "Your day" (time zone and the hour a day starts), the delete
// confirmation and the boundaries (the live list, the same `mark_boundary {tag}`).

import type { App } from "../app";
import { h, type Child } from "../dom";
import { icon } from "../icons";
import { boundaryCount, boundaryList } from "../ui/common";
import { opener, sheet } from "../ui/sheet";
import { serverFacts } from "../ui/start";
import { actBtn, can, type DCtx } from "./screen";
import { w } from "./words";

function section(...kids: Child[]): HTMLElement | null {
  const real = kids.flat(3).filter(Boolean);
  return real.length ? h("section", null, h("div", { class: "menu-list" }, real)) : null;
}

export function menuSheet(c: DCtx): HTMLElement {
  const { app, v, t, deck } = c;
  const lighter = v.level > 0 ? deck?.levels[v.level - 1]?.name ?? "" : "";
  return sheet(app, "menu", w(t, "day_menu"), [
    section(
      deck?.tags.length ? opener(app, "boundaries", "menu-boundaries",
        [icon("lock"), h("span", { class: "open-text" }, h("span", null, t("boundaries_short")), h("span", { class: "count" }, boundaryCount(c.live))),
          icon("forward")], "btn open-row") : null,
      can(c, "set_time") ? opener(app, "daily-time", "menu-daily-time", [icon("globe"), w(t, "day_time_title")], "btn quiet") : null),
    section(pushRow(c)),
    section(can(c, "step_back") ? actBtn(c, "step_back", w(t, "day_step_back", { level: lighter }), {}, "quiet") : null),
    section(opener(app, "daily-delete", "menu-daily-delete", [icon("trash"), w(t, "day_delete")], "btn danger")),
  ]);
}

export function boundarySheet(c: DCtx): HTMLElement {
  const { t, app } = c;
  return sheet(app, "boundaries", t("boundaries"), [
    h("p", { class: "big", "data-ui": "boundary-count" }, boundaryCount(c.live)),
    boundaryList(c.live),
    h("p", { class: "hint" }, t("boundaries_private")),
  ]);
}

function zones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf("timeZone");
  } catch {
    return [];
  }
}

function hourName(lang: string, hour: number): string {
  try {
    return new Intl.DateTimeFormat(lang, { hour: "numeric", timeZone: "UTC" }).format(new Date(Date.UTC(2026, 0, 1, hour)));
  } catch {
    return `${hour}:00`;
  }
}

export function timeSheet(c: DCtx): HTMLElement {
  const { app, v, t } = c;
  const list = zones();
  if (list.length && !list.includes(v.tz)) list.unshift(v.tz);
  const tz = list.length
    ? h("select", { id: "daily-tz", name: "tz", "data-ui": "daily-tz", value: v.tz }, list.map((z) => h("option", { value: z }, z.replace(/_/g, " "))))
    : h("input", { id: "daily-tz", name: "tz", "data-ui": "daily-tz", defaultValue: v.tz, autocomplete: "off", spellcheck: "false" });
  const hours = Array.from({ length: 24 }, (_, i) => h("option", { value: String(i) }, hourName(app.lang(), i)));
  const pending = app.s.pending.has("set_time");
  return sheet(app, "daily-time", w(t, "day_time_title"), [
    h("form", { "data-ui": "daily-time-form", "data-key": `time-${v.tz}-${v.day_start}`,
      onsubmit: (e: Event) => {
        e.preventDefault();
        const f = e.target as HTMLFormElement;
        const zone = (f.elements.namedItem("tz") as HTMLInputElement).value.trim();
        const start = Number((f.elements.namedItem("day_start") as HTMLSelectElement).value);
        app.s.sheet = null;
        void app.send("set_time", { tz: zone, day_start: start });
      } },
      h("div", { class: "field" }, h("label", { for: "daily-tz" }, w(t, "day_tz")), tz),
      h("div", { class: "field" }, h("label", { for: "daily-start" }, w(t, "day_start")),
        h("select", { id: "daily-start", name: "day_start", "data-ui": "daily-start", value: String(v.day_start), "aria-describedby": "daily-start-hint" }, hours),
        h("p", { class: "hint", id: "daily-start-hint" }, w(t, "day_start_hint"))),
      h("p", { class: "hint" }, w(t, "day_time_both")),
      h("button", { type: "submit", class: "btn primary", "data-ui": "daily-time-save", "data-action": "set_time", disabled: pending },
        pending ? w(t, "day_sending") : w(t, "day_save"))),
  ]);
}

export function deleteSheet(c: DCtx): HTMLElement {
  const { app, t } = c;
  const pending = app.s.pending.has("delete_room");
  return sheet(app, "daily-delete", w(t, "day_delete"), [
    h("p", { class: "big" }, w(t, "day_delete_confirm")),
    h("div", { class: "stack" },
      h("button", { type: "button", class: "btn danger", "data-ui": "daily-delete-yes", disabled: pending, "aria-busy": pending ? "true" : null,
        onclick: () => app.deleteRoom(true) }, icon("trash"), pending ? w(t, "day_sending") : w(t, "day_delete_yes")),
      h("button", { type: "button", class: "btn", "data-ui": "daily-keep", onclick: () => app.closeSheet() }, w(t, "day_keep"))),
  ]);
}

// --- Web Push: only where the server has a key and the page a worker and PushManager ---
let subscribed: boolean | null = null; // this device's subscription, once looked up
let looking = false;

function pushReady(app: App): ServiceWorkerContainer | null {
  serverFacts(app); // a page that opened straight into the space asks here
  const sw = (navigator as Navigator & { serviceWorker?: ServiceWorkerContainer }).serviceWorker;
  return app.s.server?.push_key && sw && window.isSecureContext && "PushManager" in window && "Notification" in window ? sw : null;
}

function keyBytes(b64: string): Uint8Array {
  const s = atob(b64.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((b64.length + 3) % 4));
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

async function lookUp(app: App, sw: ServiceWorkerContainer): Promise<void> {
  if (looking) return;
  looking = true;
  try {
    const reg = await sw.ready;
    subscribed = (await reg.pushManager.getSubscription()) !== null;
  } catch {
    subscribed = false;
  }
  app.render();
}

async function turnOn(app: App, sw: ServiceWorkerContainer): Promise<void> {
  const t = app.t();
  try {
    if ((await Notification.requestPermission()) !== "granted") return app.fail(w(t, "day_push_denied"));
    const reg = await sw.ready;
    const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(app.s.server?.push_key ?? "") as BufferSource });
    const reply = await app.request({ t: "push_subscribe", subscription: sub.toJSON() });
    if (reply.t === "error") {
      await sub.unsubscribe().catch(() => false);
      return app.fail(app.errorWords(String(reply.code)));
    }
    subscribed = true;
  } catch {
    app.fail(w(t, "day_push_denied"));
  }
  app.render();
}

async function turnOff(app: App, sw: ServiceWorkerContainer): Promise<void> {
  try {
    const reg = await sw.ready;
    await (await reg.pushManager.getSubscription())?.unsubscribe();
  } catch {
    // nothing here to stop
  }
  await app.request({ t: "push_unsubscribe" });
  subscribed = false;
  app.render();
}

function pushRow(c: DCtx): Child {
  const { app, t } = c;
  const sw = pushReady(app);
  if (!sw) return null;
  if (subscribed === null) void lookUp(app, sw);
  const on = subscribed === true;
  return [
    h("button", { type: "button", class: "btn quiet", "data-ui": on ? "push-off" : "push-on",
      onclick: () => void (on ? turnOff(app, sw) : turnOn(app, sw)) }, icon("spark"), w(t, on ? "day_push_off" : "day_push_on")),
    h("p", { class: "hint" }, w(t, "day_push_hint")),
  ];
}
