"""The installable client's files: the manifest, the service worker and the offline
page are served from the built client with their content types and revalidated on
every use, under a path prefix too (the worker's scope is then the prefix), and are
a plain 404 while the client is not built; the CSP lets the page use both."""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.support.servers import InProcessServer

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
