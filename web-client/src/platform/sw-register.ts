// Registers the service worker (sw/sw.ts, served as sw.js next to the page, so its scope
// is the site, path prefix included). Browsers offer it only on https or localhost;
// elsewhere the page simply runs without it.

import { siteUrl } from "../net";

export function registerWorker(): void {
  const sw = (navigator as Navigator & { serviceWorker?: ServiceWorkerContainer }).serviceWorker;
  if (!sw || !window.isSecureContext) return;
  const go = (): void => {
    sw.register(siteUrl("sw.js")).catch(() => undefined); // no worker: the game still works
  };
  if (document.readyState === "complete") go();
  else window.addEventListener("load", go, { once: true });
}
