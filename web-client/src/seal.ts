// Sealed texts (issue 20): what a couple types is sealed here, in the browser, with the
// room key the server never sees, and opened here for display. The byte format is the
// server's (server/wire/seal.py, docs/protocol.md "Sealed texts"):
//   "ck1." + base64url(0x01 | 12-byte nonce | AES-256-GCM(padded text) with its tag)
// associated data "ck1|<room>|<seat>|<card>|<field>". WebCrypto where the page has it
// (https, localhost); on a plain-http LAN address, @noble/ciphers (audited, pure JS).

import { gcm } from "@noble/ciphers/aes.js";

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
  seal: async (key, nonce, plain, ad) => gcm(key, nonce, ad).encrypt(plain),
  open: async (key, nonce, sealed, ad) => gcm(key, nonce, ad).decrypt(sealed),
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
