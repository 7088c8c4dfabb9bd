// The WebSocket connection (docs/protocol.md): msgpack frames, one reply per message,
// reconnect with backoff, resume with the latest token, at-most-once resend of actions.

import { decode, encode } from "@msgpack/msgpack";

/** An address on this site, relative to the page: the site may live under a path
 * prefix (PUBLIC_URL=https://example.org/closeknit), so no address starts with "/".
 * ``ws``: the same address as a WebSocket URL (wss: on an https page). */
export function siteUrl(path: string, ws = false): string {
  const url = new URL(path, location.href);
  if (ws) url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/** A daily space's code has 7 characters, a live room's 6 (docs/protocol.md "Daily spaces"):
 * the code alone says which socket to open. */
export function isDaily(room: string | null | undefined): boolean {
  return room?.length === 7;
}

export const PROTOCOL = "1.1"; // 1.1: the deck part of a view comes apart, once
// msgpack is the wire format; the JSON subprotocol exists for debugging builds only
// (CK_WIRE=json npm run build).
declare const __WIRE__: string;
const JSON_WIRE = __WIRE__ === "json";
const SUBPROTOCOL = JSON_WIRE ? "closeknit.v1.json" : "closeknit.v1.msgpack";
const PING_EVERY_MS = 20_000;
const PING_TIMEOUT_MS = 8_000;
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 10_000;
const HELLO_TIMEOUT_MS = 10_000;

export type Msg = Record<string, unknown>;
export type HelloMode =
  | { room: string; token: string }
  | { room: string; invite: string; name: string; seat?: number }
  | { room: string; knock: true; name: string; pub?: string };

export type Status = "connecting" | "open" | "closed";
// Why the connection stopped for good (no automatic reconnect).
export type Stop =
  | "replaced"
  | "deleted"
  | "version"
  | "join_failed"
  | "seat_taken"
  | "declined"
  | "bad_request";

export interface Handlers {
  onMessage(msg: Msg): void;
  onStatus(status: Status): void;
  onStop(reason: Stop, detail?: string): void;
  onToken(room: string, token: string, seat: number): void;
  lastVersion(): number | null;
}

interface Outgoing {
  msg: Msg;
  resolve(reply: Msg): void;
  resend: boolean; // actions are resent after a reconnect with the same id
}

const pageId = Math.random().toString(36).slice(2, 10);

export class Connection {
  private ws: WebSocket | null = null;
  private hello: HelloMode;
  private counter = 0;
  private waiting = new Map<string, Outgoing>();
  private bound = false;
  private stopped = false;
  private attempts = 0;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private pongTimer: number | undefined;
  private helloTimer: number | undefined;
  private helloId = "";

  constructor(
    hello: HelloMode,
    private handlers: Handlers,
  ) {
    this.hello = hello;
  }

  private onOnline = (): void => this.reconnectNow();
  // A phone that lost its network: don't wait for a dead socket to time out.
  private onOffline = (): void => this.drop();
  // Back from sleep or a background tab: make sure the socket still lives.
  private onVisible = (): void => {
    if (document.visibilityState === "visible") this.checkAlive();
  };

  start(): void {
    this.stopped = false;
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    document.addEventListener("visibilitychange", this.onVisible);
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    document.removeEventListener("visibilitychange", this.onVisible);
    clearTimeout(this.retryTimer);
    clearTimeout(this.helloTimer);
    this.clearPing();
    this.ws?.close(1000);
    this.ws = null;
  }

  /** Sends a message and resolves with its reply (ack or error). Actions survive drops. */
  send(body: Msg, resend = true): Promise<Msg> {
    const id = `${pageId}-${++this.counter}`;
    const msg = { ...body, id };
    return new Promise((resolve) => {
      if (resend || this.isBound()) this.waiting.set(id, { msg, resolve, resend });
      if (this.isBound()) this.write(msg);
      else if (!resend) resolve({ t: "error", code: "offline" });
    });
  }

  isBound(): boolean {
    return this.bound && this.ws?.readyState === WebSocket.OPEN;
  }

  private open(): void {
    clearTimeout(this.retryTimer);
    this.bound = false;
    if (navigator.onLine === false) {
      // No network at all: the "online" event brings us back; no futile attempts.
      this.handlers.onStatus("closed");
      return;
    }
    this.handlers.onStatus("connecting");
    let ws: WebSocket;
    try {
      ws = new WebSocket(siteUrl(isDaily(this.hello.room) ? "ws/daily" : "ws", true), [SUBPROTOCOL]);
    } catch {
      this.scheduleRetry();
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;
    ws.onopen = () => this.sendHello();
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev) => this.closed(ws, ev.code);
  }

  private sendHello(): void {
    // A daily space's joiner says their language (the cards they see come in it).
    const last = "token" in this.hello ? { last_version: this.handlers.lastVersion() }
      : isDaily(this.hello.room) ? { language: document.documentElement.lang } : {};
    this.helloId = `${pageId}-h${++this.counter}`;
    const msg: Msg = { t: "hello", id: this.helloId, v: PROTOCOL, ...this.hello, ...last };
    this.write(msg);
    // No answer to hello: this socket is no good, try another (any instance will do).
    const ws = this.ws;
    clearTimeout(this.helloTimer);
    this.helloTimer = window.setTimeout(() => {
      if (ws === this.ws && !this.bound) this.drop();
    }, HELLO_TIMEOUT_MS);
  }

  private write(msg: Msg): void {
    try {
      this.ws?.send(JSON_WIRE ? JSON.stringify(msg) : encode(msg));
    } catch {
      // The close handler reconnects; the message stays in `waiting`.
    }
  }

  private receive(data: unknown): void {
    let msg: Msg;
    try {
      msg = (JSON_WIRE ? JSON.parse(String(data)) : decode(new Uint8Array(data as ArrayBuffer))) as Msg;
    } catch {
      return;
    }
    const t = msg.t;
    const toHello = msg.re !== undefined && msg.re === this.helloId;
    if (toHello) clearTimeout(this.helloTimer); // a knock's ack, a welcome or an error
    if (t === "welcome" || t === "admitted") this.bind(msg);
    else if (t === "error" && toHello) this.helloFailed(msg);
    else if (t === "declined") this.finish("declined", String(msg.reason ?? ""));
    else if (t === "deleted") this.finish("deleted");
    if ((t === "ack" || t === "error") && msg.re !== undefined && msg.re !== null) this.reply(msg);
    this.handlers.onMessage(msg);
  }

  private bind(msg: Msg): void {
    const room = String(msg.room);
    const token = String(msg.token);
    this.hello = { room, token };
    this.bound = true;
    this.attempts = 0;
    this.handlers.onToken(room, token, Number(msg.seat));
    this.handlers.onStatus("open");
    this.startPing();
    // Resend what got no reply, with the same ids: the server applies each at most once.
    for (const [id, out] of this.waiting) {
      if (out.resend) this.write(out.msg);
      else {
        this.waiting.delete(id);
        out.resolve({ t: "error", code: "offline" });
      }
    }
  }

  private helloFailed(msg: Msg): void {
    const code = String(msg.code);
    if (code === "protocol/version") this.finish("version");
    else if (code === "join/failed" || code === "room/gone") this.finish("join_failed");
    else if (code.endsWith("/seat_taken")) this.finish("seat_taken"); // join/, daily/
    else if (code.startsWith("protocol/")) this.finish("bad_request"); // retrying won't help
    else this.ws?.close(); // busy, rate-limited, unavailable: retry with backoff
  }

  private reply(msg: Msg): void {
    const out = this.waiting.get(String(msg.re));
    if (!out) return;
    // A store hiccup: keep the message and send it again (same id) after a while.
    const retry = ["store/unavailable", "store/busy", "store/format"];
    if (msg.t === "error" && retry.includes(String(msg.code))) {
      window.setTimeout(() => this.isBound() && this.write(out.msg), 1000);
      return;
    }
    this.waiting.delete(String(msg.re));
    out.resolve(msg);
  }

  private finish(reason: Stop, detail?: string): void {
    this.stopped = true;
    this.clearPing();
    this.handlers.onStop(reason, detail);
  }

  private closed(ws: WebSocket, code: number): void {
    if (ws !== this.ws) return;
    this.bound = false;
    this.clearPing();
    this.ws = null;
    if (code === 4001) this.finish("replaced");
    else if (code === 4002) this.finish("deleted");
    else if (code === 4000) this.finish("version");
    if (this.stopped) return;
    this.handlers.onStatus("closed");
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempts);
    this.attempts++;
    const delay = base / 2 + Math.random() * (base / 2);
    clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.open(), delay);
  }

  // After a network switch or sleep, try at once instead of waiting out the backoff.
  reconnectNow(): void {
    if (this.stopped) return;
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) {
      this.checkAlive();
      return;
    }
    this.attempts = 0;
    this.open();
  }

  // Gives up on the current socket at once (no closing handshake) and reconnects.
  private drop(): void {
    const ws = this.ws;
    if (!ws || this.stopped) return;
    this.closed(ws, 1006);
    ws.onclose = null;
    ws.close();
  }

  private startPing(): void {
    this.clearPing();
    this.pingTimer = window.setInterval(() => this.checkAlive(), PING_EVERY_MS);
  }

  private clearPing(): void {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  // A socket can look open after a sleep while it is dead: a ping with a deadline tells.
  private checkAlive(): void {
    if (this.stopped || !this.isBound()) return;
    const ws = this.ws;
    clearTimeout(this.pongTimer);
    this.pongTimer = window.setTimeout(() => {
      if (ws === this.ws) this.drop();
    }, PING_TIMEOUT_MS);
    void this.send({ t: "ping" }, false).then(() => clearTimeout(this.pongTimer));
  }
}
