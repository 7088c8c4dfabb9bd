"""Page stubs for what headless Chromium lacks or a test must steer: the Screen Wake
Lock (a fake that logs requests and releases), page visibility (``__setHidden``) and
vibration (logged). Added to a context before its page loads (``install``)."""

from __future__ import annotations

from typing import Any

from tests.browser.phone import Phone

STUBS_JS = """(() => {
  const log = [];
  window.__wakeLog = log;
  let current = null;
  Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: {
    request(type) {
      const s = new EventTarget();
      s.type = type;
      s.released = false;
      s.release = () => {
        if (!s.released) {
          s.released = true; log.push('release'); s.dispatchEvent(new Event('release'));
        }
        return Promise.resolve();
      };
      current = s;
      log.push('request');
      return Promise.resolve(s);
    },
  }});
  let hidden = false;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  Object.defineProperty(document, 'visibilityState', { configurable: true,
    get: () => (hidden ? 'hidden' : 'visible') });
  window.__setHidden = (value) => {
    hidden = value;
    // As a browser does: a hidden page loses its wake lock by itself.
    if (value && current && !current.released) {
      current.released = true; log.push('lost'); current.dispatchEvent(new Event('release'));
    }
    document.dispatchEvent(new Event('visibilitychange'));
  };
  window.__buzz = [];
  Object.defineProperty(navigator, 'vibrate', { configurable: true,
    value: (pattern) => { window.__buzz.push(pattern); return true; } });
})();"""


def install(phone: Phone) -> Phone:
    phone.context.add_init_script(STUBS_JS)
    return phone


def wake_log(phone: Phone) -> list[str]:
    return list(phone.page.evaluate("window.__wakeLog"))


def wait_wake_log(phone: Phone, expected: list[str]) -> None:
    phone.page.wait_for_function(
        "(want) => JSON.stringify(window.__wakeLog) === JSON.stringify(want)", arg=expected
    )


def set_hidden(phone: Phone, hidden: bool) -> None:
    phone.page.evaluate("(h) => window.__setHidden(h)", hidden)


def tab(phone: Phone) -> dict[str, Any]:
    """The tab's title, its icon and the vibrations asked for so far."""
    return dict(
        phone.page.evaluate(
            """() => ({title: document.title, buzz: window.__buzz,
                       icon: document.querySelector('link[rel="icon"]').getAttribute('href')})"""
        )
    )
