// The pure-JS X25519 and SHA-256 (issue 20), for pages without WebCrypto (plain http on
// a LAN address): its own chunk, fetched by seal.ts only there.
// X25519 is @noble/curves' Montgomery ladder with the curve's parameters (RFC 7748),
// not its `x25519` export: that one computes public keys on the Edwards curve (faster,
// but it pulls in all of ed25519: 12 KiB gzipped instead of about 5). The bytes are the
// same (tests/browser/test_seal_module.py checks them against WebCrypto's X25519).
import { montgomery } from "@noble/curves/abstract/montgomery.js";
import { pow } from "@noble/curves/abstract/modular.js";

export { sha256 } from "@noble/hashes/sha2.js";

const P = 2n ** 255n - 19n;

export const x25519 = montgomery({
  P,
  type: "x25519",
  powPminus2: (x) => pow(x, P - 2n, P),
  adjustScalarBytes: (bytes: Uint8Array) => {
    const out = Uint8Array.from(bytes); // RFC 7748, decodeScalar25519
    out[0] &= 248;
    out[31] &= 127;
    out[31] |= 64;
    return out;
  },
});
