"""Signals of our own, where Pelican has none (blinker, as Pelican's signals)."""

from __future__ import annotations

from blinker import signal

# Sent as each page is asked for, with its output name, the shared context and the
# page's own values; receivers return values to add to that page's context (the
# page's language and its translations): the page's own values win.
page_context = signal("strict_build.page_context")
