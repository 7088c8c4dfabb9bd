"""The few words the server puts in the built client's files before any script runs: the
pages' meta description and ``<noscript>`` line, the web app manifest's description
(issue 24). They follow the browser's language, from ``Accept-Language`` (English, German
or Spanish; English for any other), so those responses say ``Vary: Accept-Language``.
Everything else a page says comes from the client's own words tables.
"""

from __future__ import annotations

import json
import re
from typing import Literal

Page = Literal["couple", "party"]
LANGS = ("en", "de", "es")
VARY = {"Vary": "Accept-Language"}

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "couple": "Closeknit: question cards for two.",
        "party": "Closeknit party rooms: many couples, each at their own table.",
        "noscript": "Closeknit needs JavaScript.",
        "manifest": "Question cards for two. Speak openly, listen closely.",
    },
    "de": {
        "couple": "Closeknit: Fragekarten für zwei.",
        "party": "Closeknit-Partyräume: viele Paare, jedes an seinem eigenen Tisch.",
        "noscript": "Closeknit braucht JavaScript.",
        "manifest": "Fragekarten für zwei. Offen sprechen, genau zuhören.",
    },
    "es": {
        "couple": "Closeknit: cartas de preguntas para dos.",
        "party": "Salas de fiesta de Closeknit: muchas parejas, cada una en su mesa.",
        "noscript": "Closeknit necesita JavaScript.",
        "manifest": "Cartas de preguntas para dos. Hablar con franqueza, escuchar con atención.",
    },
}

_RANGE = re.compile(  # one language range with its weight: "es-MX;q=0.9"
    r"\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9.]{1,5}))?\s*"
)
_HTML_LANG = re.compile(r'<html lang="[^"]*">')
_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]*">')
_NOSCRIPT = re.compile(r"<noscript>[^<]*</noscript>")


def language(accept: str | None) -> str:
    """The browser's most wanted language among ours (RFC 9110 weights; ties keep the
    header's order), English when it names none of them."""
    best, best_q = "en", 0.0
    for item in (accept or "")[:512].split(",")[:32]:
        found = _RANGE.fullmatch(item)
        if found is None:
            continue
        try:
            q = float(found.group(2)) if found.group(2) is not None else 1.0
        except ValueError:
            continue
        tag = found.group(1).lower()
        if tag in LANGS and q > best_q:
            best, best_q = tag, q
    return best


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def page(html: str, page: Page, lang: str) -> str:
    """The built page's HTML with its language, description and noscript line in ``lang``."""
    words = WORDS[lang]
    html = _HTML_LANG.sub(f'<html lang="{lang}">', html, count=1)
    description = f'<meta name="description" content="{_attr(words[page])}">'
    noscript = f"<noscript>{_attr(words['noscript'])}</noscript>"
    html = _DESCRIPTION.sub(lambda _: description, html, count=1)
    return _NOSCRIPT.sub(lambda _: noscript, html, count=1)


def manifest(text: str, lang: str) -> str:
    """The built manifest with its description (and ``lang``) in ``lang``; the file as it
    is when it is not a JSON object."""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    if not isinstance(data, dict):
        return text
    data["lang"] = lang
    data["description"] = WORDS[lang]["manifest"]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
