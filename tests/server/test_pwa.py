"""The installable client's files: the manifest, the service worker and the offline
page are served from the built client with their content types and revalidated on
every use, under a path prefix too (the worker's scope is then the prefix), and are
a plain 404 while the client is not built; the CSP lets the page use both. The pages'
description and noscript line and the manifest's description follow the browser's
Accept-Language (issue 24), and those responses vary by it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx

from tests.support.servers import ROOT, InProcessServer

FILES = {
    "manifest.webmanifest": ('{"name": "Closeknit"}', "application/manifest+json"),
    "sw.js": ("self.addEventListener('fetch', () => {});", "text/javascript"),
    "offline.html": ("<!doctype html><title>offline</title>", "text/html"),
}


def built(folder: Path) -> Path:
    (folder / "assets").mkdir()
    (folder / "index.html").write_text("<!doctype html><title>Closeknit</title>")
    for name, (text, _) in FILES.items():
        (folder / name).write_text(text)
    return folder


async def test_manifest_worker_and_offline_page_come_with_their_types(tmp_path: Path) -> None:
    async with (
        InProcessServer(client_dir=str(built(tmp_path))) as srv,
        httpx.AsyncClient(base_url=srv.url) as http,
    ):
        for name, (text, media) in FILES.items():
            response = await http.get(f"/{name}")
            assert response.status_code == 200, name
            assert response.headers["content-type"].startswith(media), name
            assert response.headers["cache-control"] == "no-cache", name
            if name != "manifest.webmanifest":  # its description is added (below)
                assert response.text == text
        csp = (await http.get("/")).headers["content-security-policy"]
        assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp


async def test_under_a_prefix_the_worker_lives_at_the_prefix_root(tmp_path: Path) -> None:
    public = "https://ck.example/closeknit"
    host = {"Host": "ck.example"}
    async with (
        InProcessServer(client_dir=str(built(tmp_path)), public_url=public) as srv,
        httpx.AsyncClient(base_url=srv.url, headers=host) as http,
    ):
        for name in FILES:
            assert (await http.get(f"/closeknit/{name}")).status_code == 200, name


async def test_before_the_client_is_built_they_are_not_found(tmp_path: Path) -> None:
    async with (
        InProcessServer(client_dir=str(tmp_path)) as srv,
        httpx.AsyncClient(base_url=srv.url) as http,
    ):
        for name in FILES:
            assert (await http.get(f"/{name}")).status_code == 404, name


async def test_pages_and_manifest_speak_the_browsers_language_and_vary_by_it(
    tmp_path: Path,
) -> None:
    """The real templates (web-client/index.html, the party page, the manifest): a
    Spanish browser gets Spanish words before any script runs, a German one German, any
    other English; each answer says it varies by Accept-Language."""
    client = ROOT / "web-client"
    (tmp_path / "assets").mkdir()
    shutil.copy(client / "index.html", tmp_path / "index.html")
    shutil.copy(client / "src" / "party" / "party.html", tmp_path / "party.html")
    shutil.copy(client / "public" / "manifest.webmanifest", tmp_path / "manifest.webmanifest")
    said = {
        "es-MX,es;q=0.9,en;q=0.5": ("es", "cartas de preguntas para dos", "necesita JavaScript"),
        "fr-FR, de;q=0.7, en;q=0.3": ("de", "Fragekarten für zwei", "braucht JavaScript"),
        "fr-FR": ("en", "question cards for two", "needs JavaScript"),
    }
    async with (
        InProcessServer(client_dir=str(tmp_path)) as srv,
        httpx.AsyncClient(base_url=srv.url) as http,
    ):
        for accept, (lang, description, noscript) in said.items():
            headers = {"Accept-Language": accept}
            page = await http.get("/", headers=headers)
            assert page.headers["vary"] == "Accept-Language"
            assert f'<html lang="{lang}">' in page.text
            assert f'<meta name="description" content="Closeknit: {description}.">' in page.text
            assert f"<noscript>Closeknit {noscript}.</noscript>" in page.text
            party = await http.get("/party", headers=headers)
            assert party.headers["vary"] == "Accept-Language", accept
            assert f"<noscript>Closeknit {noscript}.</noscript>" in party.text
            manifest = await http.get("/manifest.webmanifest", headers=headers)
            assert manifest.headers["vary"] == "Accept-Language"
            assert manifest.headers["cache-control"] == "no-cache"
            assert manifest.headers["content-type"].startswith("application/manifest+json")
            data = json.loads(manifest.text)
            assert data["lang"] == lang and data["name"] == "Closeknit"
            assert description.split()[0].lower() in data["description"].lower()
        plain = await http.get("/")  # no header: English
        assert '<html lang="en">' in plain.text and "needs JavaScript" in plain.text
