// Two phones on one network: an invite link that names 127.0.0.1 or localhost opens on
// the device that follows it, never on the partner's phone. Say so where the link is
// shown, with the two ways out (HOST=0.0.0.0 and the laptop's address, or PUBLIC_URL).

import type { App } from "../app";
import { h } from "../dom";

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

/** The link's host when it only reaches this device ("127.0.0.1"); otherwise null. */
export function loopbackHost(link: string): string | null {
  try {
    const host = new URL(link).hostname;
    return LOOPBACK.test(host) || host.endsWith(".localhost") ? host : null;
  } catch {
    return null;
  }
}

export function localOnlyWarning(app: App, link: string): HTMLElement | null {
  const host = loopbackHost(link);
  if (!host) return null;
  const t = app.t();
  return h("div", { class: "banner calm", role: "note", "data-ui": "local-only", "data-key": "local-only" },
    h("strong", null, t("local_only_title")), " ", t("local_only_text", { host }));
}
