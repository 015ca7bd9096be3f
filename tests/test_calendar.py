"""Activity calendar: dates, pages, iCalendar feeds, links and structured data."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

import pelicanconf
from conftest import CONTENT, ROOT, SITEURL, front_matter

UTC = dt.timezone.utc
HELSINKI = ZoneInfo("Europe/Helsinki")
TODAY = "2021-06-15"
MARKER = "SISAINEN-TAPAHTUMA-91b2"


def event(title, when, kind="seminaari", **fields):
    values = {"Title": title, "Uid": str(uuid.uuid5(uuid.NAMESPACE_URL, title)), "When": when,
              "Kind": kind, "Audience": "julkinen", "Summary": f"Kuvaus: {title}."}
    values.update({k.replace("_", "-").title(): v for k, v in fields.items()})
    return "\n".join(f"{k}: {v}" for k, v in values.items() if v is not None) + "\n\nTeksti.\n"


FIXTURE_EVENTS = {
    "paiva": event("Päivän seminaari", "2021-03-10", location="Helsinki", status="vahvistettu"),
    "marraskuu": event("Marraskuun päivät", "2021-11-28/2021-11-30", location="Tampere"),
    "vuodenvaihde": event("Vuodenvaihteen leiri", "2021-12-30/2021-12-31", kind="koulutus"),
    "kesaaika": event("Kesäajan webinaari", "2021-03-28 01:30-05:00", kind="koulutus",
                      attendance="verkossa", status="vahvistettu"),
    "talviaika": event("Talviajan kokous", "2021-10-31 02:00-05:00", kind="kokous",
                       location="Lahti", attendance="paikan päällä"),
    "kuukausi": event("Helmikuun kokous", "2021-02", kind="kokous"),
    "jakso": event("Syksyn kysely", "2021-09/2021-11", kind="kysely"),
    "kausi": event("Syksyn valmistelu", "2021-syksy", kind="kysely"),
    "peruttu": event("Peruttu seminaari", "2021-05-05", status="peruttu", location="Oulu"),
    "siirretty": event("Siirretty seminaari", "2021-09-01", status="siirretty", location="Turku"),
    "muuttunut": event("Muuttunut seminaari", "2021-10-05", previous_when="2021-09-07",
                       location="Kuopio"),
    "muoto-auki": event("Joulukuun koulutus", "2021-12", kind="koulutus",
                        attendance="lähi, etä tai hybridi"),
    "hallitus": event(f"{MARKER} hallituksen kokous", "2021-04-20", kind="kokous",
                      audience="hallitus", location=f"Salainen paikka {MARKER}"),
    # Past by TODAY and never confirmed: planned, whether and when they happened unknown.
    "mennyt-paiva": event("Tammikuun seminaari", "2021-01-20", location="Vaasa"),
    "mennyt-kuukausi": event("Tammikuun koulutus", "2021-01", kind="koulutus", status="alustava",
                             attendance="lähi, etä tai hybridi"),
    "vahvistettu-jakso": event("Talven kysely", "2021-01/2021-02", kind="kysely",
                               status="vahvistettu", source="https://www.esimerkki.fi/talven-kysely/"),
}


def build_calendar(site, **overrides):
    for name, text in FIXTURE_EVENTS.items():
        site.write(f"events/{name}.md", text)
    site.write("pages/tapahtumat.md", "Title: Tapahtumat\nSlug: tapahtumat\nUrl: tapahtumat/\n"
               "Save_as:\nNav: 1\nSummary: Kalenteri.\n\nJohdanto.\n")
    settings = {"EVENTS_TODAY": TODAY, **overrides}
    build = site.build(**settings)
    assert build.returncode == 0, build.stderr
    return build


@pytest.fixture(scope="module")
def calendar_site(tmp_path_factory):
    from conftest import FixtureSite

    return build_calendar(FixtureSite(tmp_path_factory.mktemp("calendar")))


def page(build, slug):
    return build.html(f"tapahtumat/2021/{slug}/")


def vevents(build, path):
    calendar = Calendar.from_ical(build.output.joinpath(path).read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    for component in calendar.walk():
        assert not component.errors, (path, component.name, component.errors)
    return calendar, events


def slug_of(title):
    from tasks import new_event_text

    return new_event_text(title, "x")[0][:-3]


# --- dates on pages -------------------------------------------------------------

@pytest.mark.parametrize("title, text", [
    ("Päivän seminaari", "10.3.2021"),
    ("Marraskuun päivät", "28.–30.11.2021"),
    ("Vuodenvaihteen leiri", "30.–31.12.2021"),
    ("Kesäajan webinaari", "28.3.2021 klo 1.30–5.00"),
    ("Helmikuun kokous", "helmikuu 2021"),  # past: the day will not be made more precise
    ("Joulukuun koulutus", "joulukuu 2021 (päivä tarkentuu)"),
    ("Syksyn kysely", "syys–marraskuu 2021"),
    ("Syksyn valmistelu", "syksy 2021"),
])
def test_finnish_dates_honest_about_precision(calendar_site, title, text):
    facts = page(calendar_site, slug_of(title)).find("dl", class_="facts")
    assert facts.find("dd").get_text(strip=True) == text


def test_month_only_date_never_becomes_a_day(calendar_site):
    _cal, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    assert "Helmikuun kokous" not in events
    _cal, tentative = vevents(calendar_site, "tapahtumat/alustavat.ics")
    item = tentative["Helmikuun kokous (suunniteltu ajankohta)"]
    assert item["DTSTART"].dt == dt.date(2021, 2, 1) and item["DTEND"].dt == dt.date(2021, 3, 1)
    assert item["STATUS"] == "TENTATIVE" and item["TRANSP"] == "TRANSPARENT"
    body = page(calendar_site, slug_of("Helmikuun kokous"))
    assert not body.find("time")
    assert not body.find("a", string="Google-kalenteri")
    assert not body.find("script", type="application/ld+json")
    assert not calendar_site.exists(f"tapahtumat/2021/{slug_of('Helmikuun kokous')}/"
                                    f"{slug_of('Helmikuun kokous')}.ics")


# --- iCalendar ------------------------------------------------------------------

def test_all_day_events_have_exclusive_ends(calendar_site):
    _cal, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    expected = {
        "Päivän seminaari": (dt.date(2021, 3, 10), dt.date(2021, 3, 11)),
        "Marraskuun päivät": (dt.date(2021, 11, 28), dt.date(2021, 12, 1)),
        "Vuodenvaihteen leiri": (dt.date(2021, 12, 30), dt.date(2022, 1, 1)),
        "Syksyn kysely": (dt.date(2021, 9, 1), dt.date(2021, 12, 1)),
        "Syksyn valmistelu": (dt.date(2021, 9, 1), dt.date(2021, 12, 1)),
    }
    for title, (start, end) in expected.items():
        item = events[title]
        assert item["DTSTART"].dt == start and not isinstance(item["DTSTART"].dt, dt.datetime)
        assert item["DTEND"].dt == end
        assert item["TRANSP"] == "TRANSPARENT"
    raw = calendar_site.read("tapahtumat/kalenteri.ics")
    assert "DTSTART;VALUE=DATE:20211128\r\nDTEND;VALUE=DATE:20211201" in raw


def test_timed_events_are_right_across_daylight_saving_changes(calendar_site):
    calendar, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    spring, autumn = events["Kesäajan webinaari"], events["Talviajan kokous"]
    assert spring["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert spring["DTSTART"].dt.astimezone(UTC) == dt.datetime(2021, 3, 27, 23, 30, tzinfo=UTC)
    assert spring["DTEND"].dt.astimezone(UTC) == dt.datetime(2021, 3, 28, 2, 0, tzinfo=UTC)
    assert autumn["DTSTART"].dt.astimezone(UTC) == dt.datetime(2021, 10, 30, 23, 0, tzinfo=UTC)
    assert autumn["DTEND"].dt.astimezone(UTC) == dt.datetime(2021, 10, 31, 3, 0, tzinfo=UTC)
    raw = calendar_site.read("tapahtumat/kalenteri.ics")
    assert "DTSTART;TZID=Europe/Helsinki:20210328T013000" in raw


def test_vtimezone_agrees_with_zoneinfo(calendar_site):
    calendar, _events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    [timezone] = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Helsinki"
    observances = {(c.name, c["DTSTART"].dt) for c in timezone.subcomponents}
    assert ("DAYLIGHT", dt.datetime(2021, 3, 28, 3, 0)) in observances
    assert ("STANDARD", dt.datetime(2021, 10, 31, 4, 0)) in observances
    tz = timezone.to_tz(lookup_tzid=False)
    moment = dt.datetime(2021, 1, 1, tzinfo=UTC)
    while moment < dt.datetime(2022, 1, 1, tzinfo=UTC):
        assert moment.astimezone(tz).utcoffset() == moment.astimezone(HELSINKI).utcoffset(), moment
        moment += dt.timedelta(minutes=30)


def test_protocol_rules(calendar_site):
    for path in sorted(calendar_site.output.glob("tapahtumat/**/*.ics")):
        raw = path.read_bytes()
        assert b"\r\n" in raw and not raw.replace(b"\r\n", b"").count(b"\n")
        calendar = Calendar.from_ical(raw)
        tzids = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
        for item in calendar.walk("VEVENT"):
            assert item.to_ical().decode().count("DTSTAMP:") == 1
            assert item["DTSTAMP"].to_ical().decode().endswith("Z")
            assert str(item["STATUS"]).isupper()
            start, end = item["DTSTART"].dt, item["DTEND"].dt
            assert end > start
            for prop in ("DTSTART", "DTEND"):
                if isinstance(item[prop].dt, dt.datetime):
                    assert item[prop].params["TZID"] in tzids
            uuid.UUID(str(item["UID"]))


def test_feeds_are_named_but_single_event_files_are_not(calendar_site):
    calendar, _ = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    assert calendar["NAME"] == calendar["X-WR-CALNAME"]
    assert calendar["REFRESH-INTERVAL"].dt == dt.timedelta(hours=12)
    single = calendar_site.read(f"tapahtumat/2021/{slug_of('Päivän seminaari')}/"
                                f"{slug_of('Päivän seminaari')}.ics")
    for prop in ("NAME:", "X-WR-CALNAME", "REFRESH-INTERVAL"):
        assert prop not in single
    assert single.count("BEGIN:VEVENT") == 1


def test_status_and_kind_feeds(calendar_site):
    _cal, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    assert events["Peruttu seminaari"]["STATUS"] == "CANCELLED"
    assert events["Siirretty seminaari"]["STATUS"] == "TENTATIVE"
    assert events["Päivän seminaari"]["STATUS"] == "CONFIRMED"
    # A file that does not say "vahvistettu" is a plan: tentative, never confirmed.
    assert events["Marraskuun päivät"]["STATUS"] == "TENTATIVE"
    assert events["Syksyn kysely"]["STATUS"] == "TENTATIVE"
    _cal, seminars = vevents(calendar_site, "tapahtumat/seminaarit.ics")
    assert "Päivän seminaari" in seminars and "Syksyn kysely" not in seminars


def test_uid_is_the_front_matter_id(calendar_site):
    _cal, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    assert str(events["Päivän seminaari"]["UID"]) == str(uuid.uuid5(uuid.NAMESPACE_URL, "Päivän seminaari"))


# --- links ------------------------------------------------------------------------

def link_params(body, text):
    href = body.find("a", string=text)["href"]
    return urlsplit(href), parse_qs(urlsplit(href).query)


def test_google_and_outlook_links(calendar_site):
    body = page(calendar_site, slug_of("Marraskuun päivät"))
    url, google = link_params(body, "Google-kalenteri")
    assert url.netloc == "calendar.google.com" and google["dates"] == ["20211128/20211201"]
    url, outlook = link_params(body, "Outlook")
    assert outlook["startdt"] == ["2021-11-28"] and outlook["enddt"] == ["2021-12-01"]
    assert outlook["allday"] == ["true"]
    assert "+" not in url.query, "Outlook needs %20 for spaces"
    body = page(calendar_site, slug_of("Vuodenvaihteen leiri"))
    assert link_params(body, "Google-kalenteri")[1]["dates"] == ["20211230/20220101"]
    body = page(calendar_site, slug_of("Kesäajan webinaari"))
    assert link_params(body, "Google-kalenteri")[1]["dates"] == ["20210327T233000Z/20210328T020000Z"]
    _url, outlook = link_params(body, "Outlook")
    assert outlook["startdt"] == ["2021-03-27T23:30:00Z"] and "allday" not in outlook
    ics = body.find("a", string="Kalenteritiedosto (.ics)")["href"]
    assert calendar_site.exists(ics[len(SITEURL) + 1:])


def test_subscribe_page(calendar_site):
    body = calendar_site.html("tapahtumat/tilaa/")
    hrefs = [a["href"] for a in body.find("main").find_all("a")]
    assert "webcal://konservatorioliitto.fi/tapahtumat/kalenteri.ics" in hrefs
    assert f"{SITEURL}/tapahtumat/kalenteri.ics" in hrefs
    assert any(h.startswith("https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F") for h in hrefs)
    assert any(h.startswith("https://outlook.live.com/owa?") and "addsubscription" in h for h in hrefs)
    for service in ("Google", "Outlook", "Apple"):
        assert body.find("h3", string=service), service


# --- structured data ------------------------------------------------------------------

def json_ld(body):
    script = body.find("script", type="application/ld+json")
    return json.loads(script.string) if script else None


def test_json_ld_only_for_public_events_with_a_known_day(calendar_site):
    seminar = json_ld(page(calendar_site, slug_of("Marraskuun päivät")))
    assert seminar["@type"] == "Event"
    assert seminar["startDate"] == "2021-11-28" and seminar["endDate"] == "2021-11-30"
    assert seminar["eventStatus"] == "https://schema.org/EventScheduled"
    assert "eventAttendanceMode" not in seminar  # the file does not say: no guess
    assert seminar["location"] == {"@type": "Place", "name": "Tampere", "address": {
        "@type": "PostalAddress", "addressLocality": "Tampere", "addressCountry": "FI"}}
    assert seminar["image"][0].startswith(f"{SITEURL}/kortit/")
    meeting = json_ld(page(calendar_site, slug_of("Talviajan kokous")))
    assert meeting["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    webinar = json_ld(page(calendar_site, slug_of("Kesäajan webinaari")))
    assert webinar["@type"] == "EducationEvent"
    assert webinar["startDate"] == "2021-03-28T01:30+02:00" and webinar["endDate"] == "2021-03-28T05:00+03:00"
    assert webinar["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert webinar["location"]["@type"] == "VirtualLocation"
    assert json_ld(page(calendar_site, slug_of("Peruttu seminaari")))["eventStatus"] == \
        "https://schema.org/EventCancelled"
    assert json_ld(page(calendar_site, slug_of("Siirretty seminaari")))["eventStatus"] == \
        "https://schema.org/EventPostponed"
    moved = json_ld(page(calendar_site, slug_of("Muuttunut seminaari")))
    assert moved["eventStatus"] == "https://schema.org/EventRescheduled"
    assert moved["previousStartDate"] == "2021-09-07"
    for title in ("Helmikuun kokous", "Syksyn kysely", "Syksyn valmistelu"):
        assert json_ld(page(calendar_site, slug_of(title))) is None, title


def facts(build, title):
    dl = build.html(f"tapahtumat/2021/{slug_of(title)}/").find("dl", class_="facts")
    # Each fact is <div><dt>Label<span class="visually-hidden">:</span></dt> <dd>…</dd></div>
    return {dt.get_text(strip=True).removesuffix(":"): dt.find_next_sibling("dd").get_text(" ", strip=True)
            for dt in dl.find_all("dt")}


def test_status_and_attendance_say_only_what_the_file_says(calendar_site):
    planned = facts(calendar_site, "Marraskuun päivät")  # neither Status nor Attendance
    assert planned["Tila"] == "Suunniteltu"
    assert "Osallistuminen" not in planned
    assert facts(calendar_site, "Päivän seminaari")["Tila"] == "Vahvistettu"
    assert facts(calendar_site, "Kesäajan webinaari")["Osallistuminen"] == "Verkossa"
    assert facts(calendar_site, "Talviajan kokous")["Osallistuminen"] == "Paikan päällä"
    assert facts(calendar_site, "Joulukuun koulutus")["Osallistuminen"] == \
        "Lähi-, etä- tai hybriditoteutus (tarkentuu)"
    listing = calendar_site.html("tapahtumat/")
    meta = {item.select_one(".event-item__title").get_text(): item.select_one(".event-item__meta")
            for item in listing.select("[data-upcoming] li, [data-past] li")}
    assert meta["Päivän seminaari"].find(class_="event-status").get_text() == "Vahvistettu"
    assert meta["Peruttu seminaari"].find(class_="event-status").get_text() == "Peruttu"
    assert meta["Marraskuun päivät"].find(class_="event-status") is None  # planned: the normal case


def test_banners_for_cancelled_postponed_and_moved_events(calendar_site):
    assert "Peruttu." in page(calendar_site, slug_of("Peruttu seminaari")).find("p", class_="notice").get_text()
    assert "Siirretty." in page(calendar_site, slug_of("Siirretty seminaari")).find("p", class_="notice").get_text()
    moved = page(calendar_site, slug_of("Muuttunut seminaari")).find("p", class_="notice").get_text()
    assert "7.9.2021" in moved


# --- honest about time: TODAY is 15.6.2021 ---------------------------------------------

PLANNED_ONLY = {"Helmikuun kokous": "helmikuu 2021", "Tammikuun koulutus": "tammikuu 2021",
                "Tammikuun seminaari": "20.1.2021"}


@pytest.mark.parametrize("title", sorted(PLANNED_ONLY))
def test_a_past_event_that_was_only_planned_says_so(calendar_site, title):
    """Past, and no file confirmed it: when it was planned for, nothing that looks ahead."""
    shown = facts(calendar_site, title)
    assert shown["Suunniteltu ajankohta"] == PLANNED_ONLY[title]
    assert "Tila" not in shown and "Ajankohta" not in shown
    assert "Osallistuminen" not in shown  # "lähi, etä tai hybridi (tarkentuu)" is no longer ahead
    body = page(calendar_site, slug_of(title))
    text = body.find("main").get_text(" ")
    for words in ("tarkentuu", "Alustava", "kun se"):
        assert words not in text, words
    assert text.count("Suunniteltu") == 1  # in "Suunniteltu ajankohta" only
    assert json_ld(body) is None  # schema.org reads an Event without eventStatus as scheduled
    listing = calendar_site.html("tapahtumat/").select_one("[data-past]")
    item = next(li for li in listing.find_all("li") if li.h3.get_text() == title)
    assert item.select_one(".event-item__when").get_text() == f"Suunniteltu ajankohta: {PLANNED_ONLY[title]}"
    assert item.find(class_="event-status") is None


def test_past_plans_stay_tentative_in_calendar_files(calendar_site):
    _cal, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    assert events["Tammikuun seminaari"]["STATUS"] == "TENTATIVE"
    _cal, unknown_day = vevents(calendar_site, "tapahtumat/alustavat.ics")
    assert unknown_day["Tammikuun koulutus (suunniteltu ajankohta)"]["STATUS"] == "TENTATIVE"
    assert unknown_day["Joulukuun koulutus (ajankohta tarkentuu)"]["STATUS"] == "TENTATIVE"  # still ahead
    assert "tarkentuu" not in calendar_site.html("tapahtumat/tilaa/").find("main").get_text()


def test_months_that_have_passed_do_not_wait_for_a_day(calendar_site):
    february = calendar_site.html("tapahtumat/2021/02/").find("main")
    assert february.find("h2", string="Tässä kuussa, päivä ei tiedossa")
    assert "tarkentuu" not in february.get_text()
    december = calendar_site.html("tapahtumat/2021/12/").find("main")
    assert december.find("h2", string="Tässä kuussa, päivä tarkentuu")
    ahead = page(calendar_site, slug_of("Joulukuun koulutus")).find("main").get_text(" ")
    assert "kun se tarkentuu" in ahead and "joulukuu 2021 (päivä tarkentuu)" in ahead


def test_past_confirmed_events_and_periods_say_confirmed(calendar_site):
    seminar = page(calendar_site, slug_of("Päivän seminaari"))
    assert json_ld(seminar)["eventStatus"] == "https://schema.org/EventScheduled"
    assert facts(calendar_site, "Päivän seminaari")["Ajankohta"] == "10.3.2021"
    # A period (a survey all winter) is confirmed as a period: its file may say so.
    survey = facts(calendar_site, "Talven kysely")
    assert survey["Ajankohta"] == "tammi–helmikuu 2021" and survey["Tila"] == "Vahvistettu"
    _cal, events = vevents(calendar_site, "tapahtumat/kalenteri.ics")
    assert events["Talven kysely"]["STATUS"] == "CONFIRMED"
    listing = calendar_site.html("tapahtumat/").select_one("[data-past]")
    item = next(li for li in listing.find_all("li") if li.h3.get_text() == "Talven kysely")
    assert item.find(class_="event-status").get_text() == "Vahvistettu"


# --- listings -------------------------------------------------------------------------

def titles(section):
    return [h.get_text() for h in section.select(".event-item__title")]


def test_upcoming_and_past_follow_the_builds_today(calendar_site):
    body = calendar_site.html("tapahtumat/")
    upcoming = titles(body.select_one("[data-upcoming]"))
    past = titles(body.select_one("[data-past]"))
    assert upcoming[:3] == ["Siirretty seminaari", "Syksyn kysely", "Syksyn valmistelu"]
    assert past[:3] == ["Peruttu seminaari", "Kesäajan webinaari", "Päivän seminaari"]
    assert "Helmikuun kokous" in past
    assert set(upcoming).isdisjoint(past)
    for item in body.select("[data-upcoming] li"):
        assert item["data-end"] >= TODAY
    for item in body.select("[data-past] li"):
        assert item["data-end"] < TODAY
    assert body.find("script", src=re.compile(rf"^{SITEURL}/theme/js/event-lists\.[0-9a-f]{{10}}\.js$"))


def test_year_page_grouped_as_in_the_plan(calendar_site):
    body = calendar_site.html("tapahtumat/2021/")
    headings = [h.get_text() for h in body.find("main").find_all("h2")]
    assert headings == ["Kokoukset", "Jäsenkoulutukset", "Yhteistyöseminaarit", "Kyselyt"]
    months = calendar_site.html("tapahtumat/2021/kuukausittain/")
    february = months.find("h2", string="Helmikuu 2021").find_parent("section")
    assert february.find("h3", string="Päivä ei tiedossa")  # past by TODAY
    december = months.find("h2", string="Joulukuu 2021").find_parent("section")
    assert december.find("h3", string="Ajankohta tarkentuu")
    october = months.find("h2", string="Lokakuu 2021").find_parent("section")
    assert october.find("h3", string="Käynnissä")
    # A month that has passed: its periods were under way then, not now.
    january = months.find("h2", string="Tammikuu 2021").find_parent("section")
    assert january.find("h3", string="Kuukauden aikana käynnissä olleet")
    assert calendar_site.html("tapahtumat/2021/01/").find("h2", string="Kuukauden aikana käynnissä olleet")


def test_month_grid_spans_multi_day_events(calendar_site):
    body = calendar_site.html("tapahtumat/2021/11/")
    grid = body.find("table", class_="month-grid")
    assert grid.find("caption").get_text() == "Marraskuu 2021"
    cells = [td for td in grid.find_all("td") if "Marraskuun päivät" in td.get_text()]
    positions = [td.find("li")["class"][1] for td in cells]
    assert positions == ["grid-event--start", "grid-event--middle", "grid-event--end"]
    assert [td.find(class_="visually-hidden").get_text() for td in cells] == [
        "28. marraskuuta 2021", "29. marraskuuta 2021", "30. marraskuuta 2021"]
    # One link, which says the whole span; the bar's other days are neither links nor read.
    start, *rest = [td.find("li") for td in cells]
    assert start.find("a").get_text() == "Marraskuun päivät" and not start.get("aria-hidden")
    assert "28.–30.11.2021" in start.get_text()
    assert all(li.get("aria-hidden") == "true" and not li.find("a") for li in rest)
    assert len(grid.find_all("a", string="Marraskuun päivät")) == 1
    assert [th.get_text() for th in grid.find_all("th")][:2] == ["ma", "ti"]
    assert body.find("a", string="Syksyn kysely"), "ongoing periods are listed under the grid"


def test_month_grid_links_an_event_once_a_month():
    """An event that began last month is linked on the first day of this one."""
    from types import SimpleNamespace

    from event_calendar.grid import month_grid

    when = SimpleNamespace(first=dt.date(2021, 10, 30), last=dt.date(2021, 11, 2), exact=True)
    event = SimpleNamespace(when=when)

    def linked_days(year, month):
        return [(day.date.day, entry.position) for week in month_grid(year, month, [event])
                for day in week if day.in_month for entry in day.entries if entry.linked]

    assert linked_days(2021, 10) == [(30, "start")]
    assert linked_days(2021, 11) == [(1, "middle")]


def test_kind_pages(calendar_site):
    body = calendar_site.html("tapahtumat/seminaarit/")
    assert body.find("h1").get_text() == "Yhteistyöseminaarit"
    assert "Päivän seminaari" in titles(body) and "Syksyn kysely" not in titles(body)


def test_members_only_event_is_absent_from_public_output(calendar_site):
    members_uid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{MARKER} hallituksen kokous"))
    for file in calendar_site.output.rglob("*"):
        assert MARKER.lower() not in file.name.lower()
        if file.is_file():
            data = file.read_bytes()
            assert MARKER.encode() not in data, file
            assert members_uid.encode() not in data, file
    # …while a public event of the same kind is in every public listing and feed.
    public_uid = FIXTURE_EVENTS["talviaika"].split("Uid: ")[1].split("\n")[0]
    assert "Talviajan kokous" in calendar_site.read("tapahtumat/")
    assert "Talviajan kokous" in calendar_site.read("tapahtumat/2021/talviajan-kokous/")
    assert public_uid in calendar_site.read("tapahtumat/kalenteri.ics")
    assert "/tapahtumat/2021/talviajan-kokous/" in calendar_site.read("sitemap.xml")


# --- reproducibility and sequence -------------------------------------------------------

def snapshot(build):
    return {p.relative_to(build.output).as_posix(): p.read_bytes()
            for p in build.output.rglob("*.ics")}


def git(folder, *args, when="2021-05-01T10:00:00Z"):
    import os
    import subprocess

    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "Testi", "GIT_AUTHOR_EMAIL": "testi@example.org",
           "GIT_COMMITTER_NAME": "Testi", "GIT_COMMITTER_EMAIL": "testi@example.org"}
    return subprocess.run(["git", "-C", str(folder), *args], env=env, check=True,
                          capture_output=True, text=True).stdout


# What the calendar needs from the site's settings (pelicanconf.py owns them).
EVENT_SETTINGS = {key: getattr(pelicanconf, key) for key in (
    "EVENT_PATHS", "EVENTS_URL", "EVENT_URL", "EVENT_SAVE_AS", "MEMBER_GROUPS")}
EVENT_TEMPLATES = ("event", "events", "events_subscribe", "events_kind", "events_year", "events_months",
                   "events_month")


def tiny_calendar(tiny_site, events: dict[str, str] | None = None):
    """A tiny site with only the calendar (bare pages) and ``events`` (FIXTURE_EVENTS); it builds."""
    for name, text in (FIXTURE_EVENTS if events is None else events).items():
        tiny_site.write(f"events/{name}.md", text)
    result = tiny_site.build("event_calendar", EVENTS_TODAY=TODAY, THEME=tiny_site.theme(*EVENT_TEMPLATES),
                             **EVENT_SETTINGS)
    assert result.ok, result.problems
    return result


def test_sequence_and_stamp_come_from_git_history_and_builds_are_byte_identical(tiny_site):
    """No state file: SEQUENCE counts the event file's commits, DTSTAMP is the last one's
    time, so every build of a committed tree is the same and a changed event is an update."""
    tiny_calendar(tiny_site)  # writes the fixture files
    git(tiny_site.root, "init", "-q")
    git(tiny_site.root, "add", "content")
    git(tiny_site.root, "commit", "-q", "-m", "events")
    first = snapshot(tiny_calendar(tiny_site))
    assert first == snapshot(tiny_calendar(tiny_site)) and len(first) > 10
    assert git(tiny_site.root, "status", "--porcelain", "content/events") == ""  # nothing written
    _cal, events = vevents(tiny_calendar(tiny_site, {}), "tapahtumat/kalenteri.ics")
    assert events["Päivän seminaari"]["SEQUENCE"] == 0
    assert events["Päivän seminaari"]["DTSTAMP"].dt == dt.datetime(2021, 5, 1, 10, tzinfo=UTC)

    # Changed, not yet committed: already an update (a preview shows what will be published).
    changed = FIXTURE_EVENTS["paiva"].replace("When: 2021-03-10", "When: 2021-03-12")
    _cal, events = vevents(tiny_calendar(tiny_site, {"paiva": changed}), "tapahtumat/kalenteri.ics")
    assert events["Päivän seminaari"]["SEQUENCE"] == 1
    assert events["Päivän seminaari"]["DTSTART"].dt == dt.date(2021, 3, 12)

    # Committed, then renamed: the history follows the file.
    git(tiny_site.root, "commit", "-q", "-am", "moved", when="2021-06-02T08:30:00Z")
    git(tiny_site.root, "mv", "content/events/paiva.md", "content/events/seminaari.md")
    git(tiny_site.root, "commit", "-q", "-m", "renamed", when="2021-06-03T08:30:00Z")
    result = tiny_calendar(tiny_site, {})
    _cal, events = vevents(result, "tapahtumat/kalenteri.ics")
    assert events["Päivän seminaari"]["SEQUENCE"] == 2
    assert events["Päivän seminaari"]["DTSTAMP"].dt == dt.datetime(2021, 6, 3, 8, 30, tzinfo=UTC)
    assert events["Marraskuun päivät"]["SEQUENCE"] == 0
    assert not any("gitistä" in notice for notice in result.notices)


def test_history_outside_git_is_revision_zero_and_says_so(fixture_site):
    build = build_calendar(fixture_site)
    _cal, events = vevents(build, "tapahtumat/kalenteri.ics")
    assert {int(e["SEQUENCE"]) for e in events.values()} == {0}
    assert "HUOMIO: Tapahtumien SEQUENCE- ja DTSTAMP-arvoja ei saatu gitistä" in build.stderr


def test_history_parses_renames_and_counts_one_git_log(tmp_path):
    from event_calendar.history import COMMIT, parse_log, read_history

    log = (f"{COMMIT}300\n\nR100\tvanha.md\tuusi.md\n"
           f"{COMMIT}200\n\nM\tvanha.md\nM\tmuu.md\n"
           f"{COMMIT}100\n\nA\tvanha.md\nA\tmuu.md\n")
    assert parse_log(log) == {"uusi.md": [300, 200, 100], "muu.md": [200, 100]}
    history = read_history(tmp_path)
    assert history.problem == "kansio ei ole git-työkopiossa"
    assert history.revision("x.md", 1_600_000_000.7).stamp == dt.datetime(2020, 9, 13, 12, 26, 40, tzinfo=UTC)


# --- bad content ---------------------------------------------------------------------------

BAD_EVENTS = {
    "impossible-date": (event("A", "2021-02-31"), "When", "ei ole kalenterissa"),
    "end-before-start": (event("A", "2021-11-19/2021-11-17"), "When", "loppu on ennen alkua"),
    "unreadable-date": (event("A", "17.11.2021"), "When", "ei voi lukea"),
    "time-without-end": (event("A", "2021-03-29 13:00"), "When", "puuttuu päättymisaika"),
    "missing-when": (event("A", None), "When", "pakollinen kenttä When puuttuu"),
    "empty-kind": (event("A", "2021-03-01", kind=""), "Kind", "pakollinen kenttä Kind on tyhjä"),
    "unknown-kind": (event("A", "2021-03-01", kind="juhla"), "Kind", "tuntematon arvo \"juhla\""),
    "unknown-status": (event("A", "2021-03-01", status="valmis"), "Status", "tuntematon arvo \"valmis\""),
    "unknown-audience": (event("A", "2021-03-01", audience="kaikki"), "Audience",
                         "tuntematon arvo \"kaikki\""),
    "missing-uid": (event("A", "2021-03-01").replace("Uid:", "X-Uid:"), "Uid",
                    "pakollinen kenttä Uid puuttuu"),
    "invalid-uid": (event("A", "2021-03-01", uid="tapahtuma-1"), "Uid", "ei ole kelvollinen tunniste"),
    "unknown-timezone": (event("A", "2021-03-01 10:00-11:00", timezone="Europe/Tampere"), "Timezone",
                         "aikavyöhykettä \"Europe/Tampere\" ei tunneta"),
    "unknown-host": (event("A", "2021-03-01", host="olematon"), "Host", "ei ole hakemistossa"),
    "several-in-source": (event("A", "2021-03-01", source="https://a.esimerkki.fi/, https://b.esimerkki.fi/"),
                          "Source", "kentässä Source on useita lähteitä"),
    "confirmed-month": (event("A", "2021-02", status="vahvistettu"), "Status",
                        "vahvistetulla tapahtumalla ei ole päivämäärää"),
    "confirmed-year": (event("A", "2021", status="vahvistettu"), "Status",
                       "vahvistetulla tapahtumalla ei ole päivämäärää"),
}


def event_problems(tiny_site, events: dict[str, str]):
    """The problems of a tiny site with only the calendar and ``events``, as (file, field, problem)."""
    for name, text in events.items():
        tiny_site.write(f"events/{name}.md", text)
    result = tiny_site.build("event_calendar", EVENTS_TODAY=TODAY, **EVENT_SETTINGS)
    assert not tiny_site.output.exists(), "no half-written site"
    assert all(p.fix.strip() and "korjaus:" in p.text() for p in result.problems)
    return [(p.relative_source(str(tiny_site.content)), p.field, p) for p in result.problems]


@pytest.mark.plugin
@pytest.mark.parametrize("case", sorted(BAD_EVENTS))
def test_bad_events_fail_with_file_field_and_fix(tiny_site, case):
    text, field, message = BAD_EVENTS[case]
    problems = event_problems(tiny_site, {"huono": text, "hyva": event("Hyvä", "2021-03-02")})
    assert [(source, name) for source, name, _ in problems] == [("events/huono.md", field)]
    assert message in problems[0][2].message


@pytest.mark.plugin
def test_duplicate_event_ids(tiny_site):
    problems = event_problems(tiny_site, {
        "a": event("Sama", "2021-03-01"),
        "b": event("Sama", "2021-04-01").replace("Title: Sama", "Title: Toinen")})
    # Whichever file is read second is the one named, with the first one in the message.
    [(source, name, problem)] = problems
    assert source in ("events/a.md", "events/b.md") and name == "Uid"
    other = ({"events/a.md", "events/b.md"} - {source}).pop()
    assert "on jo tiedostolla" in problem.message and other in problem.message


def task(*args):
    import subprocess
    import sys

    return subprocess.run([sys.executable, "tasks.py", *args], cwd=ROOT, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)


def test_new_event_task_writes_a_file_that_builds_at_once(fixture_site):
    folder = fixture_site.content / "events"
    done = task("new-event", "Kevään seminaari", "--when", "2027-03-15", "--kind", "seminaari",
                  "--location", "Tampere", "--folder", str(folder))
    assert done.returncode == 0, done.stderr
    assert "Luotiin" in done.stdout and "Uid" in done.stdout
    text = (folder / "kevaan-seminaari.md").read_text(encoding="utf-8")
    uid = next(line.split(": ")[1] for line in text.splitlines() if line.startswith("Uid: "))
    assert uuid.UUID(uid).version == 4
    build = fixture_site.build(EVENTS_TODAY=TODAY)
    assert build.returncode == 0, build.stderr
    assert "Kevään seminaari" in build.read("tapahtumat/2027/kevaan-seminaari/")
    assert "Kevään seminaari" in build.read("tapahtumat/kalenteri.ics")


@pytest.mark.parametrize("args, message", [
    (["Nimi"], "Puuttuu: --when, --kind."),
    (["Nimi", "--when", "15.3.2027", "--kind", "kokous"], "ajankohtaa \"15.3.2027\" ei voi lukea"),
    (["Nimi", "--when", "2027-03-15", "--kind", "juhla"], "Tuntematon laji \"juhla\""),
])
def test_new_event_task_names_what_is_missing_or_wrong(tmp_path, args, message):
    done = task("new-event", *args, "--folder", str(tmp_path))
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.iterdir())


# --- the real site -------------------------------------------------------------------------

def test_real_calendar_has_the_plans_events(site):
    body = site.html("tapahtumat/2021/")
    text = body.find("main").get_text(" ")
    for title in ("Vuosikokous", "Syyskokous", "Opintohallinnon Visma-webinaari", "Pitääkö olla huolissaan 2",
                  "Viestintäkoulutus", "Toimistopäivät", "Valtakunnalliset musiikkikasvatuspäivät",
                  "Jäsenkysely", "Opiskelijakyselyt", "Kuntavaalikampanjointi", "Luo oma duuni -hanke"):
        assert title in text, title
    days = site.html("tapahtumat/2021/valtakunnalliset-musiikkikasvatuspaivat/")
    # Built after 2021: the plan's item was planned, and no file says it took place.
    assert facts(site, "Valtakunnalliset musiikkikasvatuspäivät")["Suunniteltu ajankohta"] == "17.–19.11.2021"
    google = days.find("a", string="Google-kalenteri")["href"]
    assert "dates=20211117%2F20211120" in google or "dates=20211117/20211120" in google
    assert json_ld(days) is None
    raw = site.read("tapahtumat/kalenteri.ics")
    assert "DTSTART;VALUE=DATE:20211117\r\nDTEND;VALUE=DATE:20211120" in raw


def test_real_board_and_college_meetings_stay_private(site):
    private = []
    for path in (CONTENT / "events").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        if "Audience: hallitus" in text or "Audience: kollegio" in text:
            private.append(next(l.split(": ")[1] for l in text.splitlines() if l.startswith("Uid: ")))
    assert len(private) == 10
    for file in site.text_files():
        data = file.read_text(encoding="utf-8")
        for uid in private:
            assert uid not in data, file
        assert "Hallituksen kokous" not in data and "Kollegion kokous" not in data, file


def test_host_institution_lists_its_events(site):
    body = site.html("jasenet/lahden-konservatorio/")
    section = body.find("h2", string="Oppilaitoksen isännöimät tapahtumat").find_parent("section")
    # Toimistopäivät are in Lahti, but Lahden konservatorio is one of their organisers, not the host.
    assert {a.get_text() for a in section.find_all("a")} == {"Vuosikokous"}
    toimisto = site.html("tapahtumat/2021/toimistopaivat/")
    notice = toimisto.find("p", class_="notice").get_text()
    assert "syyskuu 2020" in notice and "tarkentuu" not in notice, notice


def real_events():
    """Front matter of the real site's event files, keys in lower case."""
    return [front_matter(path) for path in sorted((CONTENT / "events").glob("*.md"))]


def public_real_events():
    return [e for e in real_events() if e["audience"] == "julkinen"]


# Words an event page may show only when its file states the value behind them:
# no default may claim how to take part or that a plan item is confirmed.
CLAIMS = {"Paikan päällä": ("attendance", "paikan päällä"), "Vahvistettu": ("status", "vahvistettu")}


def test_event_pages_claim_only_what_their_file_states(site):
    events = public_real_events()
    assert len(events) >= 10
    for meta in events:
        text = site.html(f"tapahtumat/{meta['when'][:4]}/{meta['slug']}/").find("main").get_text(" ").lower()
        for word, (field, value) in CLAIMS.items():
            if meta.get(field, "").lower() != value:
                assert word.lower() not in text, (meta["slug"], word)


def test_no_public_calendar_event_is_confirmed_unless_its_file_says_so(site):
    by_uid = {e["uid"]: e for e in real_events()}
    checked = 0
    for path in sorted(site.output.glob("tapahtumat/**/*.ics")):
        for item in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            meta = by_uid[str(item["UID"])]
            known_day = re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", meta["when"]) is not None
            if item["STATUS"] == "CONFIRMED":
                assert meta.get("status") == "vahvistettu", (path.name, meta["slug"])
            if not known_day:  # only the month, a season or the year is known
                assert item["STATUS"] != "CONFIRMED", (path.name, meta["slug"])
            checked += 1
    assert checked >= 20


def test_front_page_shows_next_events_after_the_news(calendar_site):
    front = calendar_site.html("index.html")
    assert [h.get_text() for h in front.find("main").find_all("h2")] == [
        "Uusimmat uutiset", "Tulevat tapahtumat", "Tutustu"]
    upcoming = front.select_one("[data-event-lists]")
    assert upcoming.has_attr("data-hide-when-empty")
    assert titles(upcoming)[:3] == ["Siirretty seminaari", "Syksyn kysely", "Syksyn valmistelu"]
    links = [a.get_text() for a in front.select(".front-events .more-links a")]
    assert links == ["Kaikki tapahtumat", "Tilaa kalenteri"]


def test_browser_moves_events_that_ended_since_the_build(playwright_browser, tmp_path):
    """Built on 1.1.2021, visited on 15.6.2021: the page must not show old events as upcoming."""
    from conftest import FixtureSite, RoutedSite

    build = build_calendar(FixtureSite(tmp_path), EVENTS_TODAY="2021-01-01")
    built_upcoming = titles(build.html("tapahtumat/").select_one("[data-upcoming]"))
    assert "Päivän seminaari" in built_upcoming
    context = playwright_browser.new_context()
    RoutedSite(context, build.output)
    page = context.new_page()
    page.clock.set_fixed_time("2021-06-15T12:00:00")
    page.goto(SITEURL + "/tapahtumat/")
    upcoming = page.locator("[data-upcoming] .event-item__title").all_text_contents()
    past = page.locator("[data-past] .event-item__title").all_text_contents()
    assert upcoming[:3] == ["Siirretty seminaari", "Syksyn kysely", "Syksyn valmistelu"]
    assert past[:3] == ["Peruttu seminaari", "Kesäajan webinaari", "Päivän seminaari"]
    front = context.new_page()
    front.clock.set_fixed_time("2021-06-15T12:00:00")
    front.goto(SITEURL + "/")
    shown = front.locator("[data-upcoming] li:visible .event-item__title").all_text_contents()
    assert shown == ["Siirretty seminaari", "Syksyn kysely", "Syksyn valmistelu"]
    # Visited when every event has passed: the front page hides the box instead of an empty one.
    later = context.new_page()
    later.clock.set_fixed_time("2022-06-15T12:00:00")
    later.goto(SITEURL + "/")
    assert later.locator("[data-event-lists]").is_hidden()
    assert later.locator(".front-events .more-links a", has_text="Tilaa kalenteri").is_visible()
    context.close()


@pytest.mark.plugin
def test_plain_text_of_a_summary_has_no_markup_or_entities(tiny_site):
    # The summary is Markdown: "&" becomes "&amp;" and *x* <em>; calendars want the text.
    result = tiny_calendar(tiny_site, {"ilta": event("Ilta", "2021-06-01", summary="Musiikki & *tanssi*.")})
    _cal, events = vevents(result, "tapahtumat/kalenteri.ics")
    assert str(events["Ilta"]["DESCRIPTION"]).startswith("Musiikki & tanssi.")
