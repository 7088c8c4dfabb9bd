// Keeps the phone's screen on while a room is in play (Screen Wake Lock), so a long
// answer or a quiet moment does not end with a dark phone and a lost turn.
//
// The browser drops the lock by itself whenever the page is hidden; it is asked for
// again when the page comes back, as long as the game still wants it. Where the API
// is missing (older browsers, plain http outside localhost) nothing happens.

interface Sentinel extends EventTarget {
  released: boolean;
  release(): Promise<void>;
}

interface WakeLockApi {
  request(type: "screen"): Promise<Sentinel>;
}

function api(): WakeLockApi | null {
  const wl = (navigator as Navigator & { wakeLock?: WakeLockApi }).wakeLock;
  return wl && typeof wl.request === "function" ? wl : null;
}

export class WakeLock {
  private wanted = false;
  private sentinel: Sentinel | null = null;
  private asking = false;

  constructor() {
    document.addEventListener("visibilitychange", () => this.sync());
  }

  /** Whether the screen should stay on now (a room in play, not paused or ended). */
  want(on: boolean): void {
    if (on === this.wanted) return;
    this.wanted = on;
    this.sync();
  }

  private sync(): void {
    if (this.wanted && document.visibilityState === "visible") void this.acquire();
    else if (!this.wanted) this.release();
  }

  private async acquire(): Promise<void> {
    const wl = api();
    if (!wl || this.asking || (this.sentinel && !this.sentinel.released)) return;
    this.asking = true;
    try {
      const got = await wl.request("screen");
      got.addEventListener("release", () => {
        if (this.sentinel === got) this.sentinel = null;
      });
      this.sentinel = got;
      if (!this.wanted) this.release(); // the game moved on while we were asking
    } catch {
      // Refused (battery saver, not allowed here): the game works with the screen off.
    } finally {
      this.asking = false;
    }
  }

  private release(): void {
    const held = this.sentinel;
    this.sentinel = null;
    if (held && !held.released) void held.release().catch(() => undefined);
  }
}
