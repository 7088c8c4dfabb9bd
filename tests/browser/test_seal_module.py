"""The client's sealing module (web-client/src/seal.ts, issue 20) in Chromium: both of its
AES-GCM paths (WebCrypto, and @noble/ciphers for plain-http LAN origins) round-trip,
interoperate, refuse an envelope moved to another room, seat, card or field or with a
changed nonce, and pad to the server's buckets (server/wire/seal.py checks the bytes)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from server.wire import seal
from tests.browser.conftest import Phones
from tests.support.servers import ROOT

WEB = ROOT / "web-client"


@pytest.fixture(scope="module")
def seal_bundle(client_dist: Path) -> str:
    """src/seal.ts alone, as a script that defines ``window.ckSeal``."""
    out = subprocess.run(
        [str(WEB / "node_modules" / ".bin" / "esbuild"), "src/seal.ts", "--bundle",
         "--format=iife", "--global-name=ckSeal", "--target=es2020"],
        cwd=WEB, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout


CHECKS = """async () => {
  const S = window.ckSeal;
  const key = S.newKey();
  const where = {room: 'K7QM3X', seat: 1, card: 'c-12', field: 'answer'};
  const out = {};
  for (const [name, cipher] of [['web', S.webCipher()], ['noble', S.nobleCipher]]) {
    const text = 'Grüße, canary-velvet-heron ' + name;
    const env = await S.seal(key, where, text, cipher);
    const again = await S.seal(key, where, text, cipher);
    const moved = async (change) => S.open(key, {...where, ...change}, env, cipher);
    const raw = S.unb64(env.slice(4));
    raw[5] ^= 1;  // a changed nonce byte
    out[name] = {
      env, fresh: env !== again,
      back: await S.open(key, where, env, cipher),
      room: await moved({room: 'K7QM3Y'}), seat: await moved({seat: 0}),
      card: await moved({card: 'c-13'}), field: await moved({field: 'reveal'}),
      nonce: await S.open(key, where, 'ck1.' + S.b64(raw), cipher),
      otherKey: await S.open(S.newKey(), where, env, cipher),
    };
  }
  out.crossWebToNoble = await S.open(key, where, out.web.env, S.nobleCipher);
  out.crossNobleToWeb = await S.open(key, where, out.noble.env, S.webCipher());
  out.sizes = [];
  for (const n of [0, 62, 63, 255, 1023, 4095, 8191])
    out.sizes.push([n, await S.seal(key, where, 'x'.repeat(n))]);
  out.long = await S.seal(key, where, 'x'.repeat(8192)).then(() => 'sealed', () => 'refused');
  out.longBack = await S.open(key, where, out.sizes[out.sizes.length - 1][1]);
  // A page without crypto.subtle (plain http at a LAN address) falls back to noble.
  Object.defineProperty(window.crypto, 'subtle', {value: undefined, configurable: true});
  out.fallback = S.webCipher() === null && S.bestCipher() === S.nobleCipher;
  out.fallbackBack = await S.open(key, where, await S.seal(key, where, 'plain http'));
  return out;
}"""


def test_seal_module_round_trips_binds_its_place_and_pads_on_both_paths(
    phones: Phones, seal_bundle: str
) -> None:
    phone = phones.open("seal", inject_tools=True)
    phone.goto("/")
    phone.page.add_script_tag(content=seal_bundle)
    out: dict[str, Any] = phone.page.evaluate(CHECKS)
    for name in ("web", "noble"):
        got = out[name]
        assert got["back"] == f"Grüße, canary-velvet-heron {name}", name
        assert got["fresh"], "a fresh nonce for every message"
        for moved in ("room", "seat", "card", "field", "nonce", "otherKey"):
            assert got[moved] is None, f"{name}: an envelope with another {moved} opened"
        assert len(seal.check(got["env"], max_chars=2000)) == 1 + 12 + 64 + 16
        assert "canary" not in got["env"]
    assert out["crossWebToNoble"] == "Grüße, canary-velvet-heron web"
    assert out["crossNobleToWeb"] == "Grüße, canary-velvet-heron noble"
    for n, env in out["sizes"]:  # the server's own check agrees on every bucket
        raw = seal.check(env, max_chars=2000)
        assert len(raw) - 29 == seal.bucket_for(n), n
    assert out["long"] == "refused" and out["longBack"] == "x" * 8191
    assert out["fallback"] and out["fallbackBack"] == "plain http"
    assert not phone.errors, phone.errors


# RFC 7748, section 6.1: Alice's and Bob's X25519 keys and their shared secret.
RFC7748 = {
    "a": "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
    "A": "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
    "b": "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
    "B": "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
    "K": "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742",
}

CURVE = """async (v) => {
  const S = window.ckSeal;
  const hex = (h) => S.b64(Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16)));
  const unhex = (u) => [...u].map((x) => x.toString(16).padStart(2, '0')).join('');
  const alice = {priv: hex(v.a), pub: hex(v.A)}, bob = {priv: hex(v.b), pub: hex(v.B)};
  const out = {webX: await S.webX25519()};
  for (const web of [true, false])
    out[web ? 'web' : 'noble'] = [unhex(await S.agree(alice, bob.pub, web)),
                                  unhex(await S.agree(bob, alice.pub, web))];
  // Fresh pairs of each kind agree with each other, and a party table's key and code
  // come out the same on both seats.
  const w = await S.ecdhPair(true), n = await S.ecdhPair(false);
  out.mixed = unhex(await S.agree(w, n.pub, true)) === unhex(await S.agree(n, w.pub, false));
  const t0 = await S.tableKey(w, 0, n.pub, 'K7QM3X/t1');
  const t1 = await S.tableKey(n, 1, w.pub, 'K7QM3X/t1');
  out.table = t0.key === t1.key && t0.code === t1.code && S.keyOk(t0.key);
  const other = await S.tableKey(w, 0, n.pub, 'K7QM3X/t2');
  out.otherTable = other.key !== t0.key;
  const code = await S.safetyCode(w.pub, n.pub);
  // The typed-code admission, knocker without crypto.subtle (its SHA-256 is noble's).
  const roomKey = S.newKey();
  const wrapped = await S.wrapFor(roomKey, 'K7QM3X', n.pub);
  Object.defineProperty(window.crypto, 'subtle', {value: undefined, configurable: true});
  out.sameCode = (await S.safetyCode(w.pub, n.pub)) === code;
  const got = await S.unwrapWith(n, 'K7QM3X', wrapped.key);
  out.unwrapped = got.key === roomKey && got.code === wrapped.code;
  out.noSubtlePair = S.keyOk((await S.ecdhPair()).pub);
  return out;
}"""


def test_x25519_on_both_paths_gives_rfc7748s_secret_and_the_same_keys_and_codes(
    phones: Phones, seal_bundle: str
) -> None:
    phone = phones.open("seal-curve", inject_tools=True)
    phone.goto("/")
    phone.page.add_script_tag(content=seal_bundle)
    out: dict[str, Any] = phone.page.evaluate(CURVE, RFC7748)
    assert out["webX"], "this Chromium's WebCrypto does X25519"
    assert out["web"] == out["noble"] == [RFC7748["K"]] * 2
    assert out["mixed"] and out["table"] and out["otherTable"]
    assert out["sameCode"] and out["unwrapped"] and out["noSubtlePair"]
    assert not phone.errors, phone.errors
