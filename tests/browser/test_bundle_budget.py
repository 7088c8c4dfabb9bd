"""Each page's JavaScript and CSS stay within 60 KiB gzipped (the couple page's budget,
issue 18; the party pages keep to it too); the fonts (and icons) within 120 KiB."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

BUDGET = 60 * 1024  # each page's own JavaScript and CSS, gzipped (issue 18: the couple page)


def page_assets(dist: Path, page: str) -> list[Path]:
    """The scripts and style sheets ``page`` loads: those its HTML names, and every
    module their static imports pull in (esbuild's shared chunks)."""
    html = (dist / page).read_text()
    todo = [dist / ref for ref in re.findall(r'(?:src|href)="/?(assets/[^"]+\.(?:js|css))"', html)]
    seen: list[Path] = []
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.append(path)
        if path.suffix == ".js":
            imports = re.findall(r'(?:from|import)\s*\(?"\./([^"]+\.js)"', path.read_text())
            todo += [path.parent / name for name in imports]
    return sorted(seen)


def gzipped(files: list[Path]) -> int:
    return sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)


@pytest.mark.parametrize("page", ["index.html", "party.html"])
def test_each_pages_gzipped_javascript_and_css_stay_within_budget(
    client_dist: Path, page: str
) -> None:
    files = page_assets(client_dist, page)
    assert any(f.suffix == ".js" for f in files) and any(f.suffix == ".css" for f in files)
    assert any(f.name.startswith("chunk-") for f in files), files  # imports were followed
    total = gzipped(files)
    assert total <= BUDGET, f"{page}: {total} bytes gzipped, budget {BUDGET}: {files}"


FONT_BUDGET = 120 * 1024


def test_self_hosted_fonts_and_icons_stay_within_budget_and_come_from_our_own_assets(
    client_dist: Path,
) -> None:
    fonts = sorted((client_dist / "assets" / "fonts").glob("*.woff2"))
    assert fonts, "the display face is self-hosted under assets/fonts"
    icons = sorted((client_dist / "assets" / "icons").glob("*.png"))
    assert icons, "the app icons are in assets/icons"
    # One budget for both (issue 18): 46,040 bytes on 2026-12-03.
    total = sum(f.stat().st_size for f in fonts + icons)
    assert total <= FONT_BUDGET, f"{total} bytes of fonts and icons, budget {FONT_BUDGET}"
    css = (client_dist / "assets" / "app.css").read_text(encoding="utf-8")
    assert "fonts/" in css and not re.search(r"url\(\s*['\"]?(https?:)?//", css)  # no CDN
