// Sealed texts (issue 20): what a couple types is sealed here, in the browser, with the
// room key the server never sees, and opened here for display. The byte format is the
// server's (server/wire/seal.py, docs/protocol.md "Sealed texts"):
//   "ck1." + base64url(0x01 | 12-byte nonce | AES-256-GCM(padded text) with its tag)
// associated data "ck1|<room>|<seat>|<card>|<field>". WebCrypto where the page has it
// (https, localhost); on a plain-http LAN address, @noble/ciphers (audited, pure JS).

// Loaded only where a page seals without WebCrypto: its own chunk, not in every page.
let noble: Promise<typeof import("@noble/ciphers/aes.js")> | null = null;
const aes = () => (noble ??= import("@noble/ciphers/aes.js"));

export const PREFIX = "ck1.";
export const BUCKETS = [64, 256, 1024, 4096, 8192];
const VERSION = 1;
const NONCE = 12;

export type Field = "answer" | "reflection" | "reveal";
export interface Where {
  room: string;
  seat: number;
  card: string;
  field: Field;
}

/** AES-256-GCM: ciphertext then its 16-byte tag; `open` throws when it does not open. */
export interface Cipher {
  seal(key: Uint8Array, nonce: Uint8Array, plain: Uint8Array, ad: Uint8Array): Promise<Uint8Array>;
  open(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Promise<Uint8Array>;
}

export const nobleCipher: Cipher = {
  seal: async (key, nonce, plain, ad) => (await aes()).gcm(key, nonce, ad).encrypt(plain),
  open: async (key, nonce, sealed, ad) => (await aes()).gcm(key, nonce, ad).decrypt(sealed),
};

/** WebCrypto's AES-GCM, or null where `crypto.subtle` is missing (insecure origins). */
export function webCipher(): Cipher | null {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const buf = (u: Uint8Array) => u as Uint8Array<ArrayBuffer>;
  const params = (nonce: Uint8Array, ad: Uint8Array) => ({ name: "AES-GCM", iv: buf(nonce), additionalData: buf(ad), tagLength: 128 });
  const imp = (key: Uint8Array, use: KeyUsage) => subtle.importKey("raw", buf(key), "AES-GCM", false, [use]);
  return {
    seal: async (key, nonce, plain, ad) => new Uint8Array(await subtle.encrypt(params(nonce, ad), await imp(key, "encrypt"), buf(plain))),
    open: async (key, nonce, sealed, ad) => new Uint8Array(await subtle.decrypt(params(nonce, ad), await imp(key, "decrypt"), buf(sealed))),
  };
}

export function bestCipher(): Cipher {
  return webCipher() ?? nobleCipher;
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n)); // every origin has this one
}

export function newKey(): string {
  return b64(randomBytes(32));
}

export function b64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function unb64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error("not base64url");
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat(-text.length & 3));
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0));
}

/** The key text of an invite link's fragment, when it is one (32 bytes). */
export function keyOk(text: string | null): text is string {
  try {
    return text !== null && unb64(text).length === 32;
  } catch {
    return false;
  }
}

/** The text, one 0x80 byte, zeros up to the smallest bucket that holds them. */
export function pad(text: string): Uint8Array {
  const raw = new TextEncoder().encode(text);
  const size = BUCKETS.find((b) => raw.length + 1 <= b);
  if (size === undefined) throw new Error("the text is too long to seal");
  const out = new Uint8Array(size);
  out.set(raw);
  out[raw.length] = 0x80;
  return out;
}

export function unpad(padded: Uint8Array): string {
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (end < 0 || padded[end] !== 0x80) throw new Error("bad padding");
  return new TextDecoder("utf-8", { fatal: true }).decode(padded.subarray(0, end));
}

function ad(w: Where): Uint8Array {
  return new TextEncoder().encode(`ck1|${w.room}|${w.seat}|${w.card}|${w.field}`);
}

export function isSealed(text: string | null | undefined): boolean {
  return typeof text === "string" && text.startsWith(PREFIX);
}

/** The envelope string of `text`, sealed under `key` (base64url) for `where`. */
export async function seal(key: string, where: Where, text: string, cipher = bestCipher()): Promise<string> {
  const nonce = randomBytes(NONCE); // fresh for every message
  const body = await cipher.seal(unb64(key), nonce, pad(text), ad(where));
  const out = new Uint8Array(1 + NONCE + body.length);
  out[0] = VERSION;
  out.set(nonce, 1);
  out.set(body, 1 + NONCE);
  return PREFIX + b64(out);
}

/** The text inside `sealed`, or null when it does not open here (no key, another room,
 * seat, card or field, a changed byte). */
export async function open(key: string, where: Where, sealed: string, cipher = bestCipher()): Promise<string | null> {
  try {
    if (!isSealed(sealed)) return null;
    const raw = unb64(sealed.slice(PREFIX.length));
    if (raw[0] !== VERSION || raw.length < 1 + NONCE + 16) return null;
    return unpad(await cipher.open(unb64(key), raw.subarray(1, 1 + NONCE), raw.subarray(1 + NONCE), ad(where)));
  } catch {
    return null;
  }
}

// Admission by typed code (issue 20), where the page has WebCrypto: the knocker's page
// sends an ephemeral ECDH P-256 public key; the creator's page wraps the room key for
// it under a key of their own exchange; both pages show a safety code made of both
// public keys, which is the same on both phones when nobody in between swapped one.
export interface Pair {
  priv: CryptoKey;
  pub: string;
}

const EC = { name: "ECDH", namedCurve: "P-256" };
const utf8 = (s: string) => new TextEncoder().encode(s);

export async function ecdhPair(): Promise<Pair | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null; // plain http: the key comes by the shared link instead
  const kp = await subtle.generateKey(EC, false, ["deriveBits"]);
  return { priv: kp.privateKey, pub: b64(new Uint8Array(await subtle.exportKey("raw", kp.publicKey))) };
}

async function shared(mine: Pair, theirs: string): Promise<Uint8Array> {
  const subtle = crypto.subtle;
  const pub = await subtle.importKey("raw", unb64(theirs) as Uint8Array<ArrayBuffer>, EC, false, []);
  const bits = new Uint8Array(await subtle.deriveBits({ name: "ECDH", public: pub }, mine.priv, 256));
  const data = new Uint8Array([...utf8("ck1-wrap|"), ...bits]);
  return new Uint8Array(await subtle.digest("SHA-256", data));
}

/** Six digits from both public keys, in two groups ("482 913"). */
export async function safetyCode(knocker: string, creator: string): Promise<string> {
  const h = new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(`ck1-safety|${knocker}|${creator}`)));
  const digits = String((((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0) % 1_000_000).padStart(6, "0");
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** The creator's side: "<own pub>.<wrapped room key>" for the knocker, and the code. */
export async function wrapFor(roomKey: string, room: string, theirs: string): Promise<{ key: string; code: string } | null> {
  const mine = await ecdhPair();
  if (!mine) return null;
  const nonce = randomBytes(NONCE);
  const sealed = await bestCipher().seal(await shared(mine, theirs), nonce, unb64(roomKey), utf8(`ck1-wrap|${room}`));
  return { key: `${mine.pub}.${b64(new Uint8Array([...nonce, ...sealed]))}`, code: await safetyCode(theirs, mine.pub) };
}

/** The knocker's side: the room key and the code, or null when it does not open. */
export async function unwrapWith(mine: Pair, room: string, key: string): Promise<{ key: string; code: string } | null> {
  try {
    const [pub, wrapped] = key.split(".");
    const raw = unb64(wrapped);
    const roomKey = await bestCipher().open(await shared(mine, pub), raw.subarray(0, NONCE), raw.subarray(NONCE), utf8(`ck1-wrap|${room}`));
    return roomKey.length === 32 ? { key: b64(roomKey), code: await safetyCode(mine.pub, pub) } : null;
  } catch {
    return null;
  }
}
