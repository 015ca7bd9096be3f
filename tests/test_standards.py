"""Standards conformance of the production build, checked by the standards' own tools.

The session's production build (the ``site`` fixture) goes through the Nu HTML
Checker (vnu, one run over every page), feedparser (every feed), icalendar
(every .ics) and the properties Google's guidance requires of each JSON-LD
type. A validator that cannot run fails its test: none is ever skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import feedparser
import pytest
from icalendar import Calendar

from conftest import CONTENT, ROOT, SITEURL, front_matter

VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def output_path(site, url: str) -> Path | None:
    """The file in the build that an absolute URL of the site is served from, or None."""
    if not url.startswith(SITEURL):
        return None
    path = unquote(urlsplit(url).path).lstrip("/")
    file = site.output / path
    if path == "" or path.endswith("/"):
        file = file / "index.html"
    return file if file.is_file() else None


# --- HTML: the Nu HTML Checker ----------------------------------------------------


def run_vnu(files: list[Path]) -> list[dict]:
    """vnu's messages for ``files``, from one Java process (it is slow to start)."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("No Java runtime for the Nu HTML Checker: apt-get install default-jre-headless "
                    "(.ci/run installs it).")
    if not VNU_JAR.is_file():
        pytest.fail(f"{VNU_JAR} is missing: run `npm ci --ignore-scripts` (make test does).")
    proc = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--stdout",
                           *map(str, files)], capture_output=True, text=True, timeout=900)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not run (exit {proc.returncode}): {proc.stderr[-2000:] or proc.stdout[-2000:]}")
    return report["messages"]


def own_origin_under_meta_csp(message) -> bool:
    """vnu reads the pages as files, so to it 'self' in the members' pages'
    <meta> policy is file:, and the site's own https URLs look external. In a
    browser on the site they are 'self' (the members' browser tests run under
    that policy). Only that case is set aside: the resource must be the site's."""
    text = message.get("message", "")
    return (text.startswith("Resource violates Content Security Policy (meta tag)")
            and f"“{SITEURL}/" in text)


def data_block_under_meta_csp(message, site) -> bool:
    """vnu counts a page's JSON-LD as inline script under the <meta> policy; it is a
    data block that browsers never run, so the policy does not govern it (Chromium
    reports no violation for it: test_hardening_content.py). Only that case is set aside."""
    if not message.get("message", "").startswith("Inline script violates Content Security Policy (meta tag)"):
        return False
    page = site.output / message["url"].split(str(site.output))[-1].lstrip("/")
    line = page.read_text(encoding="utf-8").splitlines()[message["lastLine"] - 1]
    return '<script type="application/ld+json">' in line


def test_every_page_passes_the_nu_html_checker(site):
    pages = site.pages()
    assert len(pages) > 100
    messages = run_vnu(pages)
    # Errors, warnings and "non-document-error"s (a page vnu could not read) all count;
    # plain information messages do not.
    problems = [m for m in messages if (m["type"] != "info" or m.get("subType") == "warning")
                and not own_origin_under_meta_csp(m) and not data_block_under_meta_csp(m, site)]
    lines = [f"{m['url'].split(str(site.output))[-1]}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}"
             for m in problems]
    assert problems == [], "\n".join(lines)


def test_the_checker_reports_what_is_wrong(tmp_path):
    """The validator really runs: a broken page gives the errors the issue found."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html lang="fi"><head><title>x</title></head><body>'
                    '<template><time data-field="date"></time></template>'
                    '<section><p>ilman otsikkoa</p></section></body></html>', encoding="utf-8")
    messages = run_vnu([page])
    texts = " ".join(m["message"] for m in messages)
    assert "time" in texts and "Section lacks heading" in texts, messages


# --- Feeds: feedparser and our own checks ------------------------------------------


def feeds(site) -> list[Path]:
    return sorted(p for p in site.output.rglob("*.xml") if p.name != "sitemap.xml")


def test_every_feed_parses_cleanly_in_finnish_with_a_description(site):
    found = feeds(site)
    assert len(found) >= 14
    for path in found:
        parsed = feedparser.parse(path.read_bytes())
        name = path.relative_to(site.output)
        assert not parsed.bozo, f"{name}: {parsed.get('bozo_exception')}"
        assert parsed.version in ("atom10", "rss20"), name
        assert parsed.entries, name
        assert parsed.feed.get("language") == "fi", name
        assert parsed.feed.get("subtitle", "").strip(), f"{name}: no description"
        assert output_path(site, parsed.feed.link), f"{name}: {parsed.feed.link} is not a page"


def test_atom_feeds_have_their_own_id_and_page(site):
    atom = [p for p in feeds(site) if ET.parse(p).getroot().tag == f"{ATOM}feed"]
    assert len(atom) >= 7
    ids, pages = [], []
    for path in atom:
        root = ET.parse(path).getroot()
        assert root.get(XML_LANG) == "fi", path.name
        ids.append(root.findtext(f"{ATOM}id"))
        alternate = next(link.get("href") for link in root.findall(f"{ATOM}link")
                         if link.get("rel") == "alternate")
        pages.append(alternate)
        page = output_path(site, alternate)
        assert page is not None, f"{path.name}: {alternate}"
        # The page the feed stands for lists the feed's newest post.
        newest = next(link.get("href") for link in root.find(f"{ATOM}entry").findall(f"{ATOM}link"))
        assert newest.removeprefix(SITEURL) in page.read_text(encoding="utf-8"), path.name
        entry_ids = [entry.findtext(f"{ATOM}id") for entry in root.findall(f"{ATOM}entry")]
        assert len(entry_ids) == len(set(entry_ids)), path.name
    assert len(set(ids)) == len(ids), Counter(ids).most_common(2)
    assert len(set(pages)) == len(pages), Counter(pages).most_common(2)
    assert f"{SITEURL}/" not in pages  # no feed stands for the front page


def test_rss_guids_are_permalinks_or_say_they_are_not(site):
    rss = [p for p in feeds(site) if ET.parse(p).getroot().tag == "rss"]
    assert len(rss) >= 7
    for path in rss:
        channel = ET.parse(path).getroot().find("channel")
        assert channel.findtext("description", "").strip(), path.name
        assert channel.findtext("language") == "fi", path.name
        guids = channel.findall("item/guid")
        assert len(guids) == len(channel.findall("item")), path.name
        for guid in guids:
            if guid.get("isPermaLink", "true") == "true":
                assert output_path(site, guid.text), f"{path.name}: {guid.text} is not a permalink"
            else:
                assert guid.get("isPermaLink") == "false" and guid.text.startswith("tag:"), guid.text
        assert len({g.text for g in guids}) == len(guids), path.name


# --- iCalendar: icalendar -------------------------------------------------------------


def test_every_calendar_file_parses_with_stamps_unique_uids_and_date_rules(site):
    files = sorted(site.output.rglob("*.ics"))
    assert len(files) >= 5
    for path in files:
        raw = path.read_bytes()
        name = path.relative_to(site.output)
        lines = raw.split(b"\r\n")
        assert lines[-1] == b"" and all(b"\n" not in line for line in lines), f"{name}: not CRLF"
        assert max(len(line) for line in lines) <= 75, f"{name}: an unfolded line over 75 octets"
        calendar = Calendar.from_ical(raw)
        assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]), name
        zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
        uids = []
        events = calendar.walk("VEVENT")
        assert events, name
        for event in events:
            uids.append(str(event["UID"]))
            stamp = event["DTSTAMP"].dt
            assert isinstance(stamp, dt.datetime) and stamp.utcoffset() == dt.timedelta(0), name
            start = event["DTSTART"]
            end = event.get("DTEND")
            assert "DURATION" not in event, name
            if not isinstance(start.dt, dt.datetime):  # VALUE=DATE: the end is a DATE too, exclusive
                assert start.params.get("VALUE") == "DATE", name
                if end is not None:
                    assert end.params.get("VALUE") == "DATE" and not isinstance(end.dt, dt.datetime), name
                    assert end.dt > start.dt, f"{name}: {event['SUMMARY']} ends before the day after"
            else:
                assert start.dt.tzinfo is not None, f"{name}: floating time"
                tzid = start.params.get("TZID")
                assert tzid is None or tzid in zones, f"{name}: TZID {tzid} without a VTIMEZONE"
                assert end is None or end.dt > start.dt, name
        assert len(uids) == len(set(uids)), f"{name}: {Counter(uids).most_common(1)}"


# --- JSON-LD: the properties Google's guidance requires ---------------------------------

EVENT_STATUSES = {f"https://schema.org/{s}" for s in (
    "EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled", "EventMovedOnline")}
ATTENDANCE_MODES = {f"https://schema.org/{m}" for m in (
    "OfflineEventAttendanceMode", "OnlineEventAttendanceMode", "MixedEventAttendanceMode")}


def json_ld(site) -> list[tuple[str, dict]]:
    blocks = []
    for page in site.pages():
        name = str(page.relative_to(site.output))
        for script in site.html(name).find_all("script", type="application/ld+json"):
            try:
                blocks.append((name, json.loads(script.string)))
            except json.JSONDecodeError as error:
                pytest.fail(f"{name}: JSON-LD does not parse: {error}")
    return blocks


def iso_date(value: str) -> dt.date:
    parsed = dt.datetime.fromisoformat(value)
    if len(value) > 10:
        assert parsed.tzinfo is not None, f"{value}: a time needs its offset"
    return parsed.date()


def check_organization(site, data, where):
    assert data.get("name") and data.get("url"), where
    assert output_path(site, data["url"].rstrip("/") + "/"), f"{where}: {data['url']}"
    if "logo" in data:
        logo = data["logo"]["url"] if isinstance(data["logo"], dict) else data["logo"]
        assert output_path(site, logo), where
    if "address" in data:
        check_address(data["address"], where)


def check_address(address, where):
    assert address["@type"] == "PostalAddress", where
    assert address.get("addressLocality") and address.get("addressCountry") == "FI", where


def check_event(site, data, where):
    for key in ("name", "startDate", "location", "url", "eventStatus", "image", "organizer"):
        assert data.get(key), f"{where}: Event without {key}"
    assert iso_date(data["startDate"]) <= iso_date(data.get("endDate", data["startDate"])), where
    assert data["eventStatus"] in EVENT_STATUSES, where
    assert data.get("eventAttendanceMode", next(iter(ATTENDANCE_MODES))) in ATTENDANCE_MODES, where
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    for location in locations:
        if location["@type"] == "Place":
            assert location.get("name"), where
            check_address(location["address"], where)
        else:
            assert location["@type"] == "VirtualLocation" and location["url"].startswith("https://"), where
    assert all(output_path(site, image) for image in data["image"]), where
    assert output_path(site, data["url"]), where
    check_organization(site, data["organizer"], where)


def check_article(site, data, where):
    for key in ("headline", "image", "datePublished", "author", "publisher", "mainEntityOfPage"):
        assert data.get(key), f"{where}: Article without {key}"
    assert len(data["headline"]) <= 110, where
    iso_date(data["datePublished"]), iso_date(data.get("dateModified", data["datePublished"]))
    assert all(output_path(site, image) for image in data["image"]), where
    authors = data["author"] if isinstance(data["author"], list) else [data["author"]]
    for author in authors:
        assert author["@type"] in ("Person", "Organization"), where
        assert author.get("name") and author["name"] != author.get("jobTitle"), where
        page = output_path(site, author.get("url", ""))
        assert page, f"{where}: author {author['name']} without an author page"
    check_organization(site, data["publisher"], where)


CHECKS = {
    "Event": check_event,
    "EducationEvent": check_event,
    "NewsArticle": check_article,
    "Organization": check_organization,
    "EducationalOrganization": check_organization,
}


def test_every_json_ld_block_has_what_its_type_requires(site):
    blocks = json_ld(site)
    types = Counter(data.get("@type") for _, data in blocks)
    # Each institution in Finnish, Swedish and English.
    assert types["NewsArticle"] >= 6 and types["EducationalOrganization"] == 16 * 3, types
    for where, data in blocks:
        assert data.get("@context") == "https://schema.org", where
        assert data.get("@type") in CHECKS, f"{where}: no checks for type {data.get('@type')}"
        CHECKS[data["@type"]](site, data, where)


def test_every_public_event_on_a_known_day_has_event_markup(site):
    """Unless it has passed (the build's today is the real one) and its file never confirmed
    it: schema.org would read it as having taken place as scheduled."""
    import datetime as dt

    from event_calendar.when import parse_when

    dated = undated = planned = 0
    for path in sorted((CONTENT / "events").glob("*.md")):
        fields = front_matter(path)
        if fields.get("audience") != "julkinen":
            continue
        zone = ZoneInfo(fields.get("timezone") or "Europe/Helsinki")
        when = parse_when(fields["when"], zone).with_precision(fields.get("precision"))
        page = site.html(f"tapahtumat/{fields['when'][:4]}/{fields['slug']}/")
        scripts = page.find_all("script", type="application/ld+json")
        if when.last < dt.date.today() and fields.get("status", "suunniteltu") in ("suunniteltu", "alustava"):
            planned += 1
            assert scripts == [], path.name
        elif when.exact:
            dated += 1
            data = json.loads(scripts[0].string)
            assert data["name"] == fields["title"] and data["startDate"].startswith(str(when.first))
            if fields.get("location"):
                place = next(loc for loc in (data["location"] if isinstance(data["location"], list)
                                              else [data["location"]]) if loc["@type"] == "Place")
                assert place["address"]["addressLocality"] == fields["location"].split(",")[-1].strip()
            if not fields.get("attendance"):
                assert "eventAttendanceMode" not in data, path.name  # never a guessed mode
        else:
            undated += 1  # a month or a season is not a day: no Event markup
            assert scripts == [], path.name
    assert dated >= 1 and planned >= 1


def test_role_authors_are_people_with_a_job_title(site):
    post = site.html("ajankohtaista/2021/kuntavaalit-2021-konservatorioliitto-mukana/")
    author = json.loads(post.find("script", type="application/ld+json").string)["author"]
    assert author["@type"] == "Person" and author["jobTitle"] == "Toiminnanjohtaja"
    assert author["url"] == f"{SITEURL}/ajankohtaista/kirjoittaja/toiminnanjohtaja/"
    office = site.html("ajankohtaista/2020/uusi-ilme-ja-verkkosivut/")
    author = json.loads(office.find("script", type="application/ld+json").string)["author"]
    assert author["@type"] == "Organization" and author["name"] == "Konservatorioliiton toimisto"


# --- Search index text reads as sentences -------------------------------------------------

WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def page_words(site, url: str) -> set[str]:
    page = site.html(url.lstrip("/"))
    body = page.find(attrs={"data-pagefind-body": True})
    return set(WORD.findall(body.get_text(" ")))


def test_search_excerpts_do_not_glue_words_together(playwright_browser, site):
    from conftest import RoutedSite

    context = playwright_browser.new_context()
    RoutedSite(context, site.output)
    page = context.new_page()
    page.goto(SITEURL + "/haku/?q=konservatorioiden")
    page.wait_for_selector(".search-results li")
    results = page.eval_on_selector_all(
        ".search-results li", "items => items.map(li => [li.querySelector('a').getAttribute('href'),"
                              " li.querySelector('p').textContent])")
    context.close()
    assert len(results) >= 10
    institutions = 0
    for href, excerpt in results:
        url = urlsplit(href).path
        glued = [w for w in WORD.findall(excerpt) if w not in page_words(site, url)]
        assert glued == [], f"{url}: {glued} in {excerpt!r}"
        if url.startswith("/jasenet/") and url != "/jasenet/":
            institutions += 1
            assert "Koulutuksen järjestäjä: " in excerpt or "järjestäjä" not in excerpt, excerpt
    assert institutions >= 1


# --- The builders, directly ------------------------------------------------------------------


def test_category_feeds_describe_their_category_in_finnish(site):
    channel = ET.parse(site.output / "syotteet" / "hankkeet.rss.xml").getroot().find("channel")
    assert channel.findtext("description") == "Suomen konservatorioliitto: ajankohtaista kategoriassa Hankkeet"
    assert channel.findtext("link") == f"{SITEURL}/ajankohtaista/kategoria/hankkeet/"
    everything = ET.parse(site.output / "syotteet" / "kaikki.atom.xml").getroot()
    assert everything.findtext(f"{ATOM}id") == f"{SITEURL}/syotteet/kaikki.atom.xml"
    assert everything.findtext(f"{ATOM}subtitle").startswith("Suomen konservatorioliitto on ")


def test_place_holds_only_what_the_location_says():
    from event_calendar.events import place_ld

    assert place_ld("Tampere") == {"@type": "Place", "name": "Tampere", "address": {
        "@type": "PostalAddress", "addressLocality": "Tampere", "addressCountry": "FI"}}
    venue = place_ld("Lahden konservatorio, Lahti")
    assert venue["name"] == "Lahden konservatorio" and venue["address"]["addressLocality"] == "Lahti"
    assert "streetAddress" not in venue["address"]


def test_author_schema_setting_is_checked():
    from authors import author_ld, settings_problems

    assert settings_problems({"Toimisto": {"@type": "Organization"}}) == []
    problems = settings_problems({"Toiminnanjohtaja": {"@type": "Organization", "jobTitle": "x"},
                                  "Joku": {"@type": "Robot"}, "Muu": {"@type": "Person", "rooli": "x"}})
    assert [p.field for p in problems] == ["AUTHOR_SCHEMA"] * 3
    assert "Toiminnanjohtaja" in problems[0].text() and "Person" in problems[0].text()
    settings = {"SITENAME": "Liitto", "PUBLIC_SITEURL": SITEURL, "AUTHOR_SCHEMA": {}}
    assert author_ld("Maija Meikäläinen", "kirjoittaja/maija/", settings) == {
        "@type": "Person", "name": "Maija Meikäläinen", "url": f"{SITEURL}/kirjoittaja/maija/"}
