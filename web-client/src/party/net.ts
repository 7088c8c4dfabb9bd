// The party socket (/ws/party, docs/party.md): JSON frames, one reply per message,
// hello again after every reconnect (with backoff), a stop for good on a refusal.

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
// Closes after which coming back would only be refused again.
const FINAL = new Map([[4001, "replaced"], [4002, "removed"]]);

export class PartySocket {
  private ws: WebSocket | null = null;
  private counter = 0;
  private waiting = new Map<string, (m: Msg) => void>();
  private attempts = 0;
  private stopped = false;

  constructor(private hello: () => Hello, private on: PartyHandlers) {}

  start(): void {
    if (this.stopped) return;
    const url = new URL("ws/party", location.href); // relative: the site may have a prefix
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url, [SUBPROTOCOL]);
    this.ws = ws;
    ws.onopen = () => {
      this.attempts = 0;
      void this.request({ t: "hello", v: "1.0", ...this.hello() }).then((m) => {
        if (m.t === "welcome") {
          this.on.welcome(m);
          this.on.status(true);
        } else this.finish(String(m.code ?? "join/failed"));
      });
    };
    ws.onmessage = (ev) => this.receive(String(ev.data));
    ws.onclose = (ev) => {
      this.ws = null;
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
    window.setTimeout(() => this.start(), wait * (0.75 + Math.random() / 2));
  }

  private finish(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ws?.close();
    this.on.stop(reason);
  }

  stop(): void {
    this.stopped = true;
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

  request(msg: Msg): Promise<Msg> {
    const id = `p${++this.counter}`;
    return new Promise((resolve) => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
        resolve({ t: "error", code: "net/closed", message: "Not connected; retrying." });
        return;
      }
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ ...msg, id }));
    });
  }

  act(a: string, fields: Msg = {}): Promise<Msg> {
    return this.request({ t: "act", a, ...fields });
  }
}
