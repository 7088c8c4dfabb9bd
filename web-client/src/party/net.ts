// The party socket (/ws/party, docs/party.md): JSON frames, one reply per message,
// hello again after every reconnect (with backoff), a stop for good on a refusal. A
// ping now and then, and a look when the page comes back from sleep or the network
// returns, so a dead socket is noticed and replaced instead of waited on.

export type Msg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Role = "host" | "display" | "guest";
export interface Hello {
  party: string;
  role: Role;
  token?: string;
  name?: string;
  language?: string;
}
export interface PartyHandlers {
  welcome(m: Msg): void;
  message(m: Msg): void;
  status(open: boolean): void;
  stop(reason: string): void;
}

const SUBPROTOCOL = "closeknit.v1.json";
const BACKOFF_MIN_MS = 500;
const BACKOFF_MAX_MS = 8_000;
const PING_EVERY_MS = 20_000;
const REPLY_TIMEOUT_MS = 10_000; // a hello or ping with no answer: the socket is dead
// Closes after which coming back would only be refused again.
const FINAL = new Map([[4001, "replaced"], [4002, "removed"]]);
// Refusals of a hello that pass by themselves (the store out of reach or busy for a
// moment, an upgrade under way): hello again after the backoff, as after a lost socket.
const PASSING = new Set(["net/closed", "net/timeout", "store/unavailable", "store/busy", "store/format"]);

export class PartySocket {
  private ws: WebSocket | null = null;
  private counter = 0;
  private waiting = new Map<string, (m: Msg) => void>();
  private attempts = 0;
  private stopped = false;
  private retryTimer: number | undefined;
  private pingTimer: number | undefined;
  private listening = false;

  constructor(private hello: () => Hello, private on: PartyHandlers) {}

  private onWake = (): void => {
    if (document.visibilityState === "visible") this.checkAlive();
  };
  private onOnline = (): void => this.checkAlive();

  start(): void {
    if (this.stopped) return;
    if (!this.listening) {
      this.listening = true;
      document.addEventListener("visibilitychange", this.onWake);
      window.addEventListener("online", this.onOnline);
    }
    window.clearTimeout(this.retryTimer);
    const url = new URL("ws/party", location.href); // relative: the site may have a prefix
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url, [SUBPROTOCOL]);
    this.ws = ws;
    ws.onopen = () => {
      void this.request({ t: "hello", v: "1.0", ...this.hello() }, REPLY_TIMEOUT_MS).then((m) => {
        if (m.t === "welcome") {
          this.attempts = 0; // (only now: a store that keeps refusing backs the page off)
          this.on.welcome(m);
          this.on.status(true);
          this.schedulePing();
        } else if (PASSING.has(String(m.code))) ws.close();
        else this.finish(String(m.code ?? "join/failed"));
      });
    };
    ws.onmessage = (ev) => this.receive(String(ev.data));
    ws.onclose = (ev) => {
      if (this.ws !== ws) return; // an old socket, already replaced
      this.ws = null;
      window.clearTimeout(this.pingTimer);
      this.on.status(false);
      for (const resolve of this.waiting.values()) resolve({ t: "error", code: "net/closed" });
      this.waiting.clear();
      const final = FINAL.get(ev.code);
      if (final) this.finish(final);
      else if (!this.stopped) this.retry();
    };
  }

  private retry(): void {
    const wait = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.attempts++);
    this.retryTimer = window.setTimeout(() => this.start(), wait * (0.75 + Math.random() / 2));
  }

  /** Back from sleep or offline: a socket that does not answer a ping is replaced now. */
  private checkAlive(): void {
    if (this.stopped) return;
    if (!this.ws) {
      this.attempts = 0;
      this.start();
      return;
    }
    void this.ping();
  }

  private schedulePing(): void {
    window.clearTimeout(this.pingTimer);
    this.pingTimer = window.setTimeout(() => void this.ping(), PING_EVERY_MS);
  }

  private async ping(): Promise<void> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const reply = await this.request({ t: "ping" }, REPLY_TIMEOUT_MS);
    if (reply.code === "net/timeout" && this.ws === ws) {
      this.ws = null; // stop waiting for a close that a dead network never delivers
      ws.onclose = null;
      ws.close();
      this.on.status(false);
      for (const resolve of this.waiting.values()) resolve({ t: "error", code: "net/closed" });
      this.waiting.clear();
      this.attempts = 0;
      this.start();
    } else if (this.ws === ws) this.schedulePing();
  }

  private finish(reason: string): void {
    if (this.stopped) return;
    this.stop();
    this.on.stop(reason);
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    window.clearTimeout(this.pingTimer);
    document.removeEventListener("visibilitychange", this.onWake);
    window.removeEventListener("online", this.onOnline);
    this.ws?.close();
  }

  private receive(text: string): void {
    let m: Msg;
    try {
      m = JSON.parse(text) as Msg;
    } catch {
      return;
    }
    const re = m.re as string | undefined;
    if (re !== undefined && this.waiting.has(re)) {
      const resolve = this.waiting.get(re) as (m: Msg) => void;
      this.waiting.delete(re);
      resolve(m);
      return;
    }
    this.on.message(m);
  }

  request(msg: Msg, timeout = 0): Promise<Msg> {
    const id = `p${++this.counter}`;
    return new Promise((resolve) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        resolve({ t: "error", code: "net/closed", message: "Not connected; retrying." });
        return;
      }
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ ...msg, id }));
      if (timeout)
        window.setTimeout(() => {
          if (!this.waiting.has(id)) return;
          this.waiting.delete(id);
          resolve({ t: "error", code: "net/timeout" });
        }, timeout);
    });
  }

  act(a: string, fields: Msg = {}): Promise<Msg> {
    return this.request({ t: "act", a, ...fields });
  }
}
