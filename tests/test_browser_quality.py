"""The public site in real Chromium: accessibility, page weight, privacy and CSP."""

from __future__ import annotations

import gzip

import pytest
from axe_playwright_python.sync_playwright import Axe

from conftest import SITEURL, TEST_PASSWORDS, RoutedSite

PAGES = {
    "front page": "/",
    "post": "/ajankohtaista/2020/uusi-ilme-ja-verkkosivut/",
    "listing": "/ajankohtaista/",
    "page": "/liitto/hallinto/",
    "directory": "/jasenet/",
    "institution": "/jasenet/lahden-konservatorio/",
    "calendar": "/tapahtumat/",
    "month grid": "/tapahtumat/2021/11/",
    "event": "/tapahtumat/2021/valtakunnalliset-musiikkikasvatuspaivat/",
    "search": "/haku/?q=konservatorio",
    "404": "/ei-ole-olemassa/",
    "members' login": "/jasenalue/",
    "sv front page": "/sv/",
    "sv page": "/sv/forbundet/forvaltning/",
    "sv search": "/sv/sok/?q=förbundet",
    "sv members' login": "/sv/medlemsomrade/",
    "en front page": "/en/",
    "en directory": "/en/members/",
    "en calendar": "/en/events/",
    "en search": "/en/search/?q=association",
}
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BUDGET_BYTES = 60 * 1024
BUDGET_REQUESTS = 15
WATCH_STORAGE = """
(() => {
  window.__storageUse = [];
  const note = (what) => window.__storageUse.push(what);
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(document, 'cookie', {
    get() { note('cookie read'); return cookie.get.call(document); },
    set(v) { note('cookie write'); cookie.set.call(document, v); },
  });
  for (const name of ['getItem', 'setItem', 'removeItem', 'clear', 'key']) {
    const original = Storage.prototype[name];
    Storage.prototype[name] = function (...args) { note('storage ' + name); return original.apply(this, args); };
  }
  for (const name of ['localStorage', 'sessionStorage']) {
    const descriptor = Object.getOwnPropertyDescriptor(window, name);
    Object.defineProperty(window, name, { get() { note(name); return descriptor.get.call(window); } });
  }
})();
"""


@pytest.fixture(scope="module")
def axe():
    return Axe()


def visit(page, path):
    """Load a page and let its scripts finish their requests (search results, the login form)."""
    page.goto(SITEURL + path)
    page.wait_for_load_state("networkidle")


def open_page(browser, site, path, **options):
    context = browser.new_context(**options)
    routed = RoutedSite(context, site.output)
    page = context.new_page()
    visit(page, path)
    return context, routed, page


def one_tab(browser, site, **options):
    """One tab that the checks of every page share, one page after another.

    What axe and the reflow check find depends only on the page shown, not on
    what the tab showed before, so they need no fresh context each. A fresh one
    costs a new renderer process: about 1.2 CPU-s of Chromium against 0.3 for
    the next page in the same tab (measured; the suite is bound by CPU). The
    page budget keeps a fresh context per page: it measures a first visit.
    """
    context = browser.new_context(**options)
    RoutedSite(context, site.output)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def axe_tab(playwright_browser, site):
    yield from one_tab(playwright_browser, site, bypass_csp=True)  # axe is injected as a script


@pytest.fixture(scope="module")
def narrow_tab(playwright_browser, site):
    yield from one_tab(playwright_browser, site, viewport={"width": 320, "height": 800})


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_axe_violations_in_light_and_dark(axe_tab, axe, name):
    page = axe_tab
    page.emulate_media(color_scheme="light")
    visit(page, PAGES[name])
    if name.endswith("search"):
        page.wait_for_selector(".search-results li")
    reports = {}
    # The colours follow prefers-color-scheme in CSS alone: switching it
    # restyles the same page, no second load.
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG},
                                         "resultTypes": ["violations"]})
        if results.violations_count:
            reports[scheme] = results.generate_report()
    assert reports == {}, "\n".join(f"{scheme}:\n{report}" for scheme, report in reports.items())


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_budget_privacy_and_strict_csp(playwright_browser, site, name):
    context = playwright_browser.new_context()
    context.add_init_script(WATCH_STORAGE)
    routed = RoutedSite(context, site.output)
    page = context.new_page()
    problems, weights = [], []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    def weigh(response):
        kind = response.headers.get("content-type", "")
        if any(t in kind for t in ("html", "css", "javascript", "font")):
            weights.append(len(gzip.compress(response.body(), 9)))

    page.on("response", weigh)
    path = PAGES[name].split("?")[0]  # first load: no query typed yet
    response = page.goto(SITEURL + path)
    page.wait_for_load_state("networkidle")
    assert response.status == (404 if name == "404" else 200)
    assert routed.foreign == [], "no request to another host"
    assert len(routed.requests) <= BUDGET_REQUESTS, routed.requests
    assert sum(weights) <= BUDGET_BYTES, f"{sum(weights)} bytes compressed"
    assert context.cookies() == []
    assert page.evaluate("window.__storageUse") == []
    assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
    assert [p for p in problems if "404" not in p] == [], problems
    context.close()


def test_features_work_under_the_strict_csp(playwright_browser, site):
    context = playwright_browser.new_context()
    RoutedSite(context, site.output)
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(SITEURL + "/haku/?q=kuntavaalit")
    page.wait_for_selector(".search-results li")
    titles = page.locator(".search-results h2").all_text_contents()
    assert any("Kuntavaalit" in t for t in titles)
    page.fill("#search-q", "konservatoriot")  # Finnish stemming finds other forms of the word
    page.wait_for_function(
        "() => document.querySelector('[data-search-status]').textContent.includes('konservatoriot')")
    marks = {m.lower() for m in page.locator(".search-results mark").all_text_contents()}
    assert any(m.startswith("konservatorio") and m != "konservatoriot" for m in marks), marks
    page.goto(SITEURL + "/jasenet/")
    page.select_option("#filter-region", "Uusimaa")
    assert page.text_content(".directory-count") == "Näytetään 3 / 16 oppilaitosta"
    assert page.locator(".institution-cards li:visible").count() == 3
    page.goto(SITEURL + "/tapahtumat/")
    assert page.locator("[data-upcoming] li").count() + page.locator("[data-past] li").count() > 10
    page.goto(SITEURL + "/jasenalue/")
    page.wait_for_selector("form[data-login]:not([hidden])")
    page.fill("#members-password", TEST_PASSWORDS["jasenet"])
    page.click("form[data-login] button[type=submit]")
    page.wait_for_selector(".members-entry")
    assert "Esimerkki: jäsentiedote tammikuu 2021" in page.locator(".members-entry__title").all_text_contents()
    assert blocked == []
    context.close()


def test_events_are_resorted_by_the_visitors_date(playwright_browser, site):
    """The build fixed no date; the browser's clock decides upcoming and past."""
    context = playwright_browser.new_context()
    RoutedSite(context, site.output)
    page = context.new_page()
    page.clock.set_fixed_time("2021-06-15T12:00:00")
    page.goto(SITEURL + "/tapahtumat/")
    upcoming = page.locator("[data-upcoming] li").evaluate_all("els => els.map(e => e.dataset.end)")
    past = page.locator("[data-past] li").evaluate_all("els => els.map(e => e.dataset.end)")
    assert upcoming and past
    assert all(end >= "2021-06-15" for end in upcoming)
    assert all(end < "2021-06-15" for end in past)
    starts = page.locator("[data-upcoming] li").evaluate_all("els => els.map(e => e.dataset.start)")
    assert starts == sorted(starts)
    context.close()


def test_directory_map_pins_take_keyboard_focus(playwright_browser, site):
    context = playwright_browser.new_context()
    RoutedSite(context, site.output)
    page = context.new_page()
    page.goto(SITEURL + "/jasenet/")
    names = []
    page.focus("svg.map a")
    for _ in range(16):
        names.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        page.keyboard.press("Tab")
    assert len(set(names)) == 16 and all(names)
    context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_readable_at_320_pixels_without_horizontal_scrolling(narrow_tab, name):
    """WCAG 1.4.10 reflow: 320 CSS pixels, which is also 1280 pixels at 400 % zoom."""
    visit(narrow_tab, PAGES[name])
    assert narrow_tab.viewport_size["width"] == 320
    assert narrow_tab.evaluate("document.documentElement.scrollWidth") <= 320


CONTRAST = """
() => {
  const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  return [...document.querySelectorAll('.month-grid .grid-event')].flatMap((bar) => {
    const text = bar.querySelector('a, .grid-event__name');
    const style = getComputedStyle(text);
    if (style.visibility === 'hidden' || !text.textContent.trim()) return [];
    return [[text.textContent.trim(), ratio(rgb(style.color), rgb(getComputedStyle(bar).backgroundColor))]];
  });
}
"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_month_grid_bars_are_readable_and_their_event_read_once(playwright_browser, site, scheme):
    title = "Valtakunnalliset musiikkikasvatuspäivät"  # 17.–19.11.2021, three days
    context, _, page = open_page(playwright_browser, site, "/tapahtumat/2021/11/", color_scheme=scheme)
    shown = page.evaluate(CONTRAST)
    assert shown and all(ratio >= 4.5 for _, ratio in shown), shown
    assert [text for text, _ in shown].count(title) == 1  # no Monday in the span: shown once
    grid = page.locator(".month-grid")
    assert grid.get_by_role("link", name=title).count() == 1  # the only focus stop
    cells = [line for line in grid.aria_snapshot().splitlines() if line.strip().startswith("- cell")]
    assert [cell for cell in cells if title in cell] == [  # screen readers meet it once
        f'      - cell "17. marraskuuta 2021 {title} (17.–19.11.2021)":']
    context.close()
