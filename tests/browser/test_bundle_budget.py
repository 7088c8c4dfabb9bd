"""The client's JavaScript and CSS stay within 60 KiB gzipped."""

from __future__ import annotations

import gzip
from pathlib import Path

BUDGET = 60 * 1024


def test_gzipped_javascript_and_css_stay_within_budget(client_dist: Path) -> None:
    files = sorted((client_dist / "assets").glob("*.js")) + sorted(
        (client_dist / "assets").glob("*.css")
    )
    assert any(f.suffix == ".js" for f in files) and any(f.suffix == ".css" for f in files)
    total = sum(len(gzip.compress(f.read_bytes(), compresslevel=9)) for f in files)
    assert total <= BUDGET, f"{total} bytes gzipped, budget {BUDGET}"
