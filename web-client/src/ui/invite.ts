// The invite: link, QR code, short code, copy and share. Reachable during the whole game.

import type qrcodeFactory from "qrcode-generator";
import type { App } from "../app";
import { h, svg } from "../dom";
import { icon } from "../icons";
import { roomKeys } from "../state";
import { localOnlyWarning } from "./reach";

/** The link to show: the creator's invite link, or (after a reload) a code-only link. */
export function inviteLink(app: App): string {
  if (app.s.inviteUrl) return app.s.inviteUrl;
  // With the room key, when this page holds it: a knock by this link, or a device of
  // ours that lost the key, can read what is sealed (issue 20).
  const key = app.s.room ? roomKeys.get(app.s.room) : null;
  return `${new URL(".", location.href).href}#code=${encodeURIComponent(app.s.room ?? "")}${key ? `&key=${key}` : ""}`;
}

// The QR encoder is its own chunk, fetched the first time a page shows a QR code (a
// partner who joins by the link never needs it): until then a same-sized placeholder,
// filled in place once the encoder has come.
let qrcode: typeof qrcodeFactory | null = null;
let qrLoading: Promise<void> | null = null;

function loadQr(): void {
  qrLoading ??= import("qrcode-generator").then((m) => {
    qrcode = m.default;
    for (const slot of document.querySelectorAll<HTMLElement>("[data-qr-text]"))
      slot.replaceWith(qrSvg(slot.dataset.qrText ?? "", slot.dataset.qrLabel ?? ""));
  });
}

export function qrSvg(text: string, label: string): Element {
  if (qrcode === null) {
    loadQr();
    return h("span", { class: "qr qr-pending", role: "img", "aria-label": label, "data-qr-text": text, "data-qr-label": label });
  }
  const qr = qrcode(0, "M");
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const quiet = 4;
  let d = "";
  for (let r = 0; r < n; r++)
    for (let col = 0; col < n; col++) if (qr.isDark(r, col)) d += `M${col + quiet} ${r + quiet}h1v1h-1z`;
  const size = String(n + quiet * 2);
  return svg(
    "svg",
    { viewBox: `0 0 ${size} ${size}`, class: "qr", role: "img", "aria-label": label, "shape-rendering": "crispEdges" },
    svg("rect", { width: size, height: size, fill: "#fff" }),
    svg("path", { d, fill: "#000" }),
  );
}

export function invitePanel(app: App, closable: boolean): HTMLElement {
  const t = app.t();
  const link = inviteLink(app);
  const share = (navigator as Navigator & { share?: unknown }).share
    ? h("button", {
        type: "button",
        class: "btn",
        "data-ui": "share",
        onclick: () => void navigator.share({ title: t("app_name"), url: link }).catch(() => undefined),
      }, icon("share"), t("share"))
    : null;
  return h(
    "section",
    { class: "panel invite", "aria-labelledby": "invite-title", "data-key": "invite", id: "invite" },
    h("h2", { id: "invite-title", tabindex: "-1" }, t("invite")),
    // After a reload only the room code is known here (the server keeps no invite secret
    // it could send again), so the link leads to the code form and an admission.
    h("p", null, app.s.inviteUrl ? t("invite_text") : t("invite_text_code")),
    h("div", { class: "qr-wrap", "data-key": link }, qrSvg(link, t("qr_label"))),
    h("label", { for: "invite-link" }, t("invite_link")),
    h("input", { id: "invite-link", class: "mono", readonly: true, value: link, "data-ui": "invite-link",
      onfocusin: (e: Event) => (e.target as HTMLInputElement).select() }),
    h("div", { class: "row" },
      h("button", { type: "button", class: "btn primary", "data-ui": "copy", onclick: () => copy(app, link) },
        icon(app.s.copied ? "check" : "copy"), app.s.copied ? t("copied") : t("copy")),
      share,
      closable ? h("button", { type: "button", class: "btn", "data-ui": "close-invite",
        onclick: () => { app.s.showInvite = false; app.render(); } }, icon("close"), t("close")) : null,
    ),
    localOnlyWarning(app, link), // under the link it is about; the code stays in view first
    h("p", { class: "hint" }, t("invite_code_text")),
    h("p", { class: "code" },
      h("span", { class: "label" }, t("room_code")), " ",
      h("strong", { class: "mono", "data-ui": "room-code" }, app.s.room ?? "")),
  );
}

async function copy(app: App, link: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(link);
  } catch {
    const field = document.getElementById("invite-link") as HTMLInputElement | null;
    field?.select();
    document.execCommand?.("copy");
  }
  app.s.copied = true;
  app.s.announce = app.t()("copied");
  app.render();
  window.setTimeout(() => {
    app.s.copied = false;
    app.render();
  }, 2500);
}
