"""The catalog loads built-in decks and a host's extra folder; bad extra decks are skipped."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from deck_support import BROKEN, BUILTIN, SAMPLE, sample_data

from decks import catalog as catalog_module
from decks.catalog import BUILTIN_DIR, load_catalog, load_decks


def test_builtin_decks_are_all_loaded() -> None:
    catalog = load_catalog()
    assert catalog.skipped == {}
    assert len(catalog.decks) == len(BUILTIN) >= 3
    assert all(catalog.sources[deck_id].parent == BUILTIN_DIR for deck_id in catalog.decks)


def test_the_couples_deck_is_listed_first_though_other_built_in_files_sort_before_it() -> None:
    decks = list(load_catalog().decks)
    assert decks[0] == "closer"
    assert "after-an-argument" in decks  # its file name sorts before closer.json
    assert sorted(decks) == sorted({p.stem for p in BUILTIN})


def test_extra_folder_adds_its_decks(tmp_path: Path) -> None:
    (tmp_path / "sample.json").write_bytes(SAMPLE.read_bytes())
    decks = load_decks(tmp_path)
    assert "sample" in decks and len(decks) == len(BUILTIN) + 1


def test_bad_extra_deck_is_reported_and_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "good.json").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "bad.json").write_bytes((BROKEN / "unknown-tag.json").read_bytes())
    (tmp_path / "binary.json").write_bytes((BROKEN / "invalid-utf8.bin").read_bytes())
    with caplog.at_level(logging.WARNING, logger="decks.catalog"):
        catalog = load_catalog(tmp_path)
    assert "sample" in catalog.decks
    assert set(catalog.skipped) == {tmp_path / "bad.json", tmp_path / "binary.json"}
    assert [p.code for p in catalog.skipped[tmp_path / "bad.json"]] == ["card/unknown_tag"]
    assert "bad.json" in caplog.text


def test_oversized_extra_deck_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "huge.json").write_bytes(b"[" + b" " * (1024 * 1024) + b"]")
    catalog = load_catalog(tmp_path)
    assert [p.code for p in catalog.skipped[tmp_path / "huge.json"]] == ["file/too_large"]


def test_extra_deck_cannot_replace_a_deck_with_the_same_id(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(SAMPLE.read_bytes())
    copy = sample_data()
    copy["title"]["en"] = "Impostor"
    (tmp_path / "b.json").write_text(json.dumps(copy), encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert catalog.decks["sample"].title["en"] == "Sample"
    assert [p.code for p in catalog.skipped[tmp_path / "b.json"]] == ["catalog/duplicate_id"]


def test_missing_extra_folder_is_reported_not_raised(tmp_path: Path) -> None:
    catalog = load_catalog(tmp_path / "nowhere")
    assert len(catalog.decks) == len(BUILTIN)
    assert [p.code for p in catalog.skipped[tmp_path / "nowhere"]] == ["catalog/unreadable"]


def test_non_json_files_and_folders_are_ignored(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a deck", encoding="utf-8")
    (tmp_path / "folder.json").mkdir()
    catalog = load_catalog(tmp_path)
    assert catalog.skipped == {} and len(catalog.decks) == len(BUILTIN)


def test_builtin_folder_can_be_swapped_for_tests(tmp_path: Path) -> None:
    (tmp_path / "only.json").write_bytes(SAMPLE.read_bytes())
    assert list(load_catalog(builtin_dir=tmp_path).decks) == ["sample"]


def test_extra_folder_survives_a_loader_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "x.json").write_bytes(SAMPLE.read_bytes())

    def explode(data: bytes, *, source: str = "") -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog_module, "load_deck", explode)
    with caplog.at_level(logging.ERROR, logger="decks.catalog"):
        catalog = load_catalog(tmp_path, builtin_dir=tmp_path / "empty")
    assert catalog.decks == {}
    assert [p.code for p in catalog.skipped[tmp_path / "x.json"]] == ["catalog/loader_failed"]
