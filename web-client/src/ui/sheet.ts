// Sheets: the menu and the boundaries rise from the bottom as modal dialogs. A native
// <dialog> opened with showModal() makes the rest of the page inert (the focus stays
// inside, screen readers hear a dialog); Escape, the Close button, a tap beside the sheet
// or a swipe down close it, and the focus goes back to the button that opened it.

import type { App } from "../app";
import { h, type Child } from "../dom";
import { icon } from "../icons";

let touchY: number | null = null;
const wired = new WeakSet<HTMLElement>();

export function sheet(app: App, name: string, title: string, body: Child[]): HTMLElement {
  const t = app.t();
  return h(
    "dialog",
    {
      class: `sheet sheet-${name}`,
      "data-sheet": name,
      "data-ui": `${name}-sheet`,
      "data-key": `sheet-${name}`,
      "aria-labelledby": `${name}-title`,
      // A click on the dialog itself is a click on the dimmed page beside the sheet.
      onclick: (e: Event) => {
        if ((e.target as Element).matches("dialog")) app.closeSheet();
      },
      onkeydown: (e: Event) => {
        const key = (e as KeyboardEvent).key;
        if (key === "Tab") trapTab(e as KeyboardEvent);
        if (key !== "Escape") return;
        e.preventDefault();
        app.closeSheet();
      },
      ontouchstart: (e: Event) => {
        const box = (e.target as Element).closest(".sheet-body");
        // A swipe inside a scrolled list scrolls it; from the top it closes the sheet.
        touchY = box && box.scrollTop > 0 ? null : (e as TouchEvent).touches[0]?.clientY ?? null;
      },
      ontouchend: (e: Event) => {
        const end = (e as TouchEvent).changedTouches[0]?.clientY;
        if (touchY !== null && end !== undefined && end - touchY > 70) app.closeSheet();
        touchY = null;
      },
    },
    h("div", { class: "sheet-inner" },
      h("div", { class: "sheet-grip", "aria-hidden": "true" }),
      h("div", { class: "sheet-head" },
        h("h2", { id: `${name}-title`, tabindex: "-1" }, title),
        h("button", { type: "button", class: "btn quiet small icon-only", "data-ui": "close-sheet", onclick: () => app.closeSheet() },
          icon("close"), h("span", { class: "visually-hidden" }, t("close")))),
      h("div", { class: "sheet-body" }, body)),
  );
}

// The modal dialog makes the page inert, but Tab from its last control would leave for
// the browser's own controls: wrap around inside the sheet instead.
function trapTab(e: KeyboardEvent): void {
  const d = (e.target as Element).closest("dialog");
  if (!d) return;
  const all = Array.from(d.querySelectorAll<HTMLElement>("button, a[href], input, select, textarea, summary, [tabindex]"))
    .filter((el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0 && el.getClientRects().length > 0);
  if (!all.length) return;
  const first = all[0];
  const last = all[all.length - 1];
  const here = document.activeElement;
  if (!e.shiftKey && here === last) {
    e.preventDefault();
    first.focus();
  } else if (e.shiftKey && (here === first || !d.contains(here))) {
    e.preventDefault();
    last.focus();
  }
}

/** The button that opens a sheet; it carries `data-opens` so tests can find it. */
export function opener(app: App, name: string, ui: string, label: Child, cls = "btn quiet", extra: Record<string, unknown> = {}): HTMLElement {
  return h("button", {
    type: "button",
    class: cls,
    "data-ui": ui,
    "data-opens": name,
    "aria-haspopup": "dialog",
    "aria-expanded": String(app.s.sheet === name),
    onclick: () => app.openSheet(name, ui),
    ...extra,
  }, label);
}

/** After every render: open or close the dialogs as the page state says. */
export function syncSheets(root: HTMLElement, app: App): void {
  if (!wired.has(root)) {
    wired.add(root);
    // "cancel" (Escape) and "close" don't bubble: catch them on the way down.
    root.addEventListener("cancel", (e) => {
      e.preventDefault();
      app.closeSheet();
    }, true);
    root.addEventListener("close", () => {
      const open = root.querySelector("dialog[data-sheet][open]");
      if (!open && app.s.sheet) app.closeSheet();
    }, true);
  }
  let found = false;
  for (const d of Array.from(root.querySelectorAll<HTMLDialogElement>("dialog[data-sheet]"))) {
    const want = app.s.sheet === d.dataset.sheet;
    found ||= want;
    if (want && !d.open) {
      d.showModal();
      d.querySelector<HTMLElement>("h2")?.focus();
    } else if (!want && d.open) {
      d.close();
      // Back to the opener; one inside a closed sheet (the menu's) hands over to the menu button.
      const back = root.querySelector<HTMLElement>(`[data-ui="${app.s.sheetOpener ?? ""}"]`);
      const ok = back && !back.closest("dialog:not([open])");
      (ok ? back : root.querySelector<HTMLElement>('[data-ui="open-menu"]'))?.focus();
    }
  }
  if (app.s.sheet && !found) app.s.sheet = null; // that screen has no such sheet any more
}
