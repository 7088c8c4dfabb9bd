"""Screenshots of each screen for both partners, in every UI language, light and dark
(issue 18), saved as tests/browser/screenshots/screens/<screen>-<partner>-<lang>-<scheme>.png:
each the 390x844 screen the phone shows (a longer page continues below it).

One game gives the whole matrix: the colour scheme is emulated and the language switched
on the same page, as a person would switch it (in a room: the seat's language, the select
in the lobby or the menu, so the card text changes too; before a room: the start page's
own select), then switched back. Saving costs a screenshot each, nothing is replayed."""

from __future__ import annotations

from pathlib import Path

from tests.browser.conftest import SHOTS
from tests.browser.phone import Phone, in_sync

DIR = SHOTS / "screens"
LANGS = ("en", "de")
SCHEMES = ("light", "dark")
OTHER = {"en": "de", "de": "en"}
# The language select of this screen: the seat's (lobby, menu sheet) or the page's own.
SWITCH_JS = """(want) => {
  const seat = document.getElementById('my-lang');
  if (seat && !seat.disabled) {
    seat.value = want; seat.dispatchEvent(new Event('change', {bubbles: true})); return 'seat';
  }
  const page = document.getElementById('ui-lang');
  if (page) {
    page.value = want; page.dispatchEvent(new Event('change', {bubbles: true})); return 'page';
  }
  return null;
}"""
SWITCHED_JS = """(want) => document.documentElement.lang === want
  && document.getElementById('app').dataset.pending === '0'"""


def lang(phone: Phone) -> str:
    return str(phone.page.evaluate("document.documentElement.lang"))


_LEFT_DARK: set[int] = set()  # pages save(reset=False) left in the dark scheme


def save(
    name: str, *phones: Phone, schemes: tuple[str, ...] = SCHEMES, reset: bool = True
) -> list[Path]:
    """This screen on each phone, in its current language, in each colour scheme; then
    light again, unless ``reset`` is False (matrix: the next save starts in the dark)."""
    DIR.mkdir(parents=True, exist_ok=True)
    saved = []
    for phone in phones:
        phone.settle()
        here = lang(phone)
        for i, scheme in enumerate(schemes):
            if i or not (scheme == "dark" and id(phone.page) in _LEFT_DARK):
                phone.page.emulate_media(color_scheme=scheme)
            path = DIR / f"{name}-{phone.label}-{here}-{scheme}.png"
            phone.page.screenshot(path=str(path))  # what the phone shows, the bar in place
            saved.append(path)
        _LEFT_DARK.discard(id(phone.page))
        if schemes[-1] == "dark" and not reset:
            _LEFT_DARK.add(id(phone.page))
        elif schemes[-1] == "dark":
            phone.page.emulate_media(color_scheme="light")
    return saved


def switch(*phones: Phone) -> None:
    """Each phone to its other UI language, all at once; waits until every page (and,
    in a room, every partner's view) shows it."""
    wanted = {}
    for phone in phones:
        want = OTHER[lang(phone)]
        how = phone.page.evaluate(SWITCH_JS, want)
        assert how, f"{phone.label}: no language select on {phone.screen()}"
        wanted[phone.label] = want
    for phone in phones:
        phone.page.wait_for_function(SWITCHED_JS, arg=wanted[phone.label])
    in_room = [p for p in phones if p.page.evaluate("!!window.__closeknitView")]
    if in_room:
        in_sync(*in_room)


def matrix(name: str, *phones: Phone, back: bool = True) -> None:
    """This screen on each phone in both UI languages and both colour schemes. The
    phones end in the language they started in, or (``back=False``, one switch fewer)
    in the other one."""
    save(name, *phones, reset=False)  # ends dark: the other language starts there
    switch(*phones)
    save(name, *phones, schemes=SCHEMES[::-1])
    if back:
        switch(*phones)


def to(want: str, *phones: Phone) -> None:
    """The phones that are not in ``want`` switch to it."""
    others = [p for p in phones if lang(p) != want]
    if others:
        switch(*others)


def paused_again(name: str, pauser: Phone, *phones: Phone, back: bool = True) -> None:
    """After a pause saved with ``save`` and resumed: a pause allows no language change,
    so the phones change language, pause again to be saved, resume, and (``back``)
    change back."""
    switch(*phones)
    pauser.act("pause")
    in_sync(*phones)
    for phone in phones:
        phone.wait_screen("pause")
    save(name, *phones, schemes=SCHEMES[::-1])
    pauser.act("resume")
    in_sync(*phones)
    if back:
        switch(*phones)
