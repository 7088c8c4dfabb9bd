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
