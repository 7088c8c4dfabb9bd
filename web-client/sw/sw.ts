// The service worker: makes the client installable and says so plainly when the server
// cannot be reached. Closeknit cannot be played without its server, so it never
// pretends otherwise: pages come from the network, and when the network fails a page
// gets the offline page and a file of the shell its copy from this build's cache.
//
// Never touched: the API (api/...), the WebSockets (ws, ws/party) and anything not
// in the shell; non-GET requests. The cache is named by the build's hash and the scope,
// so an upgrade installs a new worker with a new cache, and the old one is deleted on
// activation (other Closeknits under other path prefixes of the same site keep theirs).

/// <reference lib="webworker" />
declare const self: ServiceWorkerGlobalScope;
export {}; // a module: its `self` is the worker's, not the page's
declare const __BUILD__: string;
declare const __SHELL__: string[];

const SCOPE = new URL(self.registration.scope);
const FAMILY = `closeknit:${SCOPE.pathname}:`;
const CACHE = FAMILY + __BUILD__;
const OFFLINE = "offline.html";
const SHELL = new Set(__SHELL__);

/** The path inside the scope ("" for the page itself); null: outside it. */
function inScope(url: URL): string | null {
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return null;
  return url.pathname.slice(SCOPE.pathname.length);
}

function neverTouched(path: string): boolean {
  return path === "api" || path.startsWith("api/") || path === "ws" || path.startsWith("ws/");
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // From the network, not the HTTP cache: these must be this build's files.
      await cache.addAll([...SHELL].map((p) => new Request(new URL(p, SCOPE).href, { cache: "reload" })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(FAMILY) && name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const path = inScope(url);
  if (path === null || neverTouched(path)) return; // straight to the network, untouched
  if (request.mode === "navigate") event.respondWith(page(request));
  else if (SHELL.has(path)) event.respondWith(shellFile(request, path));
});

async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch {
    const offline = await caches.match(new URL(OFFLINE, SCOPE).href, { cacheName: CACHE });
    return offline ?? Response.error();
  }
}

async function shellFile(request: Request, path: string): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const copy = await caches.match(new URL(path, SCOPE).href, { cacheName: CACHE });
    if (copy) return copy;
    throw error;
  }
}

// --- Web Push (issue 22, a daily space): the server's payload is only
// {"t": "news", "title": "Closeknit", "body": "<something new, in the seat's language>"},
// never a card, a name or an answer; the notification shows exactly that text.
interface News {
  t?: string;
  title?: string;
  body?: string;
}

self.addEventListener("push", (event) => {
  let news: News = {};
  try {
    news = (event.data?.json() as News | undefined) ?? {};
  } catch {
    news = {};
  }
  const title = typeof news.title === "string" && news.title ? news.title : "Closeknit";
  const body = typeof news.body === "string" ? news.body : "";
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      icon: new URL("assets/icons/icon-192.png", SCOPE).href,
      tag: "closeknit-news", // a newer one replaces the last: one calm line, never a pile
    }),
  );
});

// A tap on it: a page of this Closeknit already open comes to the front, else one opens.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const ours = pages.find((c) => inScope(new URL(c.url)) !== null);
      if (ours) await ours.focus();
      else await self.clients.openWindow(SCOPE.href);
    })(),
  );
});
