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

// A couple's own deck (seal-deck.ts) binds its texts as "card" (card id), "follow_up"
// (card id), "title" and "description" ("deck"), "level_name" and "level_description"
// ("level/<index>"), sealed by the seat that added the deck.
export type DeckField = "title" | "description" | "level_name" | "level_description" | "card" | "follow_up";
// "daily": a daily space's answer (issue 22), never replayable as a live one of the same card.
export type Field = "answer" | "reflection" | "reveal" | "daily" | DeckField;
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

// Key agreement (issue 20): X25519, by WebCrypto where the page has it (and its
// browser knows the curve), else by @noble/curves (audited, pure JS), loaded only then:
// on a plain-http LAN address `crypto.subtle` is missing altogether. Both make the same
// bytes, so a phone of each kind agree. SHA-256 likewise (@noble/hashes then).
// - Admission by typed code: the knocker's page sends an ephemeral public key; the
//   creator's page wraps the room key for it under a key of their own exchange.
// - A party table: each guest sends a public key through the table's socket; both
//   derive the same table key from the exchange; the server relays public keys only.
// Both pages then show a safety code made of both public keys, the same on both phones
// when nobody in between swapped one.
export interface Pair {
  priv: string; // the raw 32-byte X25519 private key, base64url (kept by a party guest)
  pub: string;
}

let nobleKx: Promise<typeof import("./x25519")> | null = null;
const kxLib = () => (nobleKx ??= import("./x25519"));
const X = { name: "X25519" };
const utf8 = (s: string) => new TextEncoder().encode(s);
const buf = (u: Uint8Array) => u as Uint8Array<ArrayBuffer>;

let webX: Promise<boolean> | null = null;
/** Whether WebCrypto here does X25519 (https or localhost, a browser of 2025 or later). */
export function webX25519(): Promise<boolean> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return Promise.resolve(false);
  return (webX ??= Promise.resolve(subtle.generateKey(X, false, ["deriveBits"])).then(() => true, () => false));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return new Uint8Array(await subtle.digest("SHA-256", buf(data)));
  return (await kxLib()).sha256(data);
}

/** A fresh key pair; `web` false forces the pure-JS curve (the tests compare both). */
export async function ecdhPair(web?: boolean): Promise<Pair> {
  if (web ?? (await webX25519())) {
    const kp = (await crypto.subtle.generateKey(X, true, ["deriveBits"])) as CryptoKeyPair;
    const jwk = await crypto.subtle.exportKey("jwk", kp.privateKey);
    return { priv: jwk.d as string, pub: jwk.x as string };
  }
  const { x25519 } = await kxLib();
  const priv = x25519.utils.randomSecretKey();
  return { priv: b64(priv), pub: b64(x25519.getPublicKey(priv)) };
}

/** The X25519 shared secret of `mine` and the public key `theirs`. */
export async function agree(mine: Pair, theirs: string, web?: boolean): Promise<Uint8Array> {
  if (unb64(theirs).length !== 32) throw new Error("not an X25519 public key");
  if (web ?? (await webX25519())) {
    const jwk = { kty: "OKP", crv: "X25519", d: mine.priv, x: mine.pub };
    const priv = await crypto.subtle.importKey("jwk", jwk, X, false, ["deriveBits"]);
    const pub = await crypto.subtle.importKey("raw", buf(unb64(theirs)), X, false, []);
    return new Uint8Array(await crypto.subtle.deriveBits({ name: "X25519", public: pub }, priv, 256));
  }
  return (await kxLib()).x25519.getSharedSecret(unb64(mine.priv), unb64(theirs));
}

async function derive(label: string, mine: Pair, theirs: string): Promise<Uint8Array> {
  return sha256(new Uint8Array([...utf8(label), ...(await agree(mine, theirs))]));
}

/** Six digits from both public keys, in two groups ("482 913"). */
export async function safetyCode(first: string, second: string): Promise<string> {
  const h = await sha256(utf8(`ck1-safety|${first}|${second}`));
  const digits = String((((h[0] << 24) | (h[1] << 16) | (h[2] << 8) | h[3]) >>> 0) % 1_000_000).padStart(6, "0");
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}

/** The creator's side: "<own pub>.<wrapped room key>" for the knocker, and the code. */
export async function wrapFor(roomKey: string, room: string, theirs: string): Promise<{ key: string; code: string } | null> {
  const mine = await ecdhPair();
  const nonce = randomBytes(NONCE);
  const sealed = await bestCipher().seal(await derive("ck1-wrap|", mine, theirs), nonce, unb64(roomKey), utf8(`ck1-wrap|${room}`));
  return { key: `${mine.pub}.${b64(new Uint8Array([...nonce, ...sealed]))}`, code: await safetyCode(theirs, mine.pub) };
}

/** The knocker's side: the room key and the code, or null when it does not open. */
export async function unwrapWith(mine: Pair, room: string, key: string): Promise<{ key: string; code: string } | null> {
  try {
    const [pub, wrapped] = key.split(".");
    const raw = unb64(wrapped);
    const roomKey = await bestCipher().open(await derive("ck1-wrap|", mine, pub), raw.subarray(0, NONCE), raw.subarray(NONCE), utf8(`ck1-wrap|${room}`));
    return roomKey.length === 32 ? { key: b64(roomKey), code: await safetyCode(mine.pub, pub) } : null;
  } catch {
    return null;
  }
}

/** A party table's key and code, from this guest's pair and the partner's public key:
 * the same on both phones (the code lists seat 0's key first). */
export async function tableKey(mine: Pair, seat: number, theirs: string, room: string): Promise<{ key: string; code: string }> {
  const key = b64(await derive(`ck1-table|${room}|`, mine, theirs));
  return { key, code: seat === 0 ? await safetyCode(mine.pub, theirs) : await safetyCode(theirs, mine.pub) };
}
