"""The Event content type: front matter, derived dates, links and structured data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from markupsafe import Markup

from content_types import Field, Invalid, TypedContent
from content_types.schema import SOURCE_FIELDS
from sitecore import Problem
from languages.names import place_name
from sitecore.site import audience, language

from .when import FORMS_HELP, N_, When, parse_when

DEFAULT_ZONE = "Europe/Helsinki"


@dataclass(frozen=True)
class Kind:
    key: str
    slug: str
    label: str  # English msgid, translated in templates: the kind's events
    name: str  # the same for one event: "Meeting"


# The groups of the action plan's activity calendar, in its order.
KINDS = {k.key: k for k in (
    Kind("kokous", "kokoukset", N_("Meetings"), N_("Meeting")),
    Kind("koulutus", "koulutukset", N_("Member trainings"), N_("Member training")),
    Kind("seminaari", "seminaarit", N_("Seminars"), N_("Seminar")),
    Kind("kysely", "kyselyt", N_("Surveys"), N_("Survey")),
    Kind("hanke", "hankkeet", N_("Projects of the year"), N_("Project")),
)}
# A plan item is "suunniteltu" until the file says otherwise; only a file that
# says "vahvistettu" claims the event is confirmed.
STATUSES = {"suunniteltu": N_("Planned"), "alustava": N_("Tentative"),
            "vahvistettu": N_("Confirmed"), "peruttu": N_("Cancelled"),
            "siirretty": N_("Postponed")}
DEFAULT_STATUS = "suunniteltu"
UNCONFIRMED = ("suunniteltu", "alustava")
# No default: how to take part is shown only when the file states it.
ATTENDANCE = {"paikan päällä": N_("On site"), "verkossa": N_("Online"),
              "hybridi": N_("On site and online"),
              "lähi, etä tai hybridi": N_("On site, online or hybrid (to be decided)")}
PRECISION = {"tarkentuu": "tarkentuu", "jakso": "jakso"}
SCHEMA_STATUS = {"suunniteltu": "EventScheduled", "alustava": "EventScheduled", "vahvistettu": "EventScheduled",
                 "peruttu": "EventCancelled", "siirretty": "EventPostponed"}
SCHEMA_ATTENDANCE = {"paikan päällä": "OfflineEventAttendanceMode",
                     "verkossa": "OnlineEventAttendanceMode",
                     "hybridi": "MixedEventAttendanceMode"}


def place_ld(location: str, country: str = "FI") -> dict:
    """schema.org Place for a Location such as "Tampere" or "Lahden konservatorio, Lahti".

    The last comma-separated part is the municipality; nothing else of the
    address is known, so nothing else is written (no street is guessed).
    """
    parts = [part.strip() for part in location.split(",") if part.strip()]
    return {"@type": "Place", "name": ", ".join(parts[:-1]) or parts[-1],
            "address": {"@type": "PostalAddress", "addressLocality": parts[-1],
                        "addressCountry": country}}


class Event(TypedContent):
    default_template = "event"
    past = False  # ended before the build's today: the generator says (EventsGenerator._decorate)

    def __init__(self, content, metadata=None, *args, **kwargs):
        metadata = dict(metadata or {})
        settings = kwargs.get("settings") or (args[0] if args else None) or {}
        # Pelican itself turns a Timezone field into a ZoneInfo and fails on an
        # unknown one; keep it aside so that our check can name the problem.
        self.unknown_timezone = None
        if metadata.get("timezone"):
            try:
                ZoneInfo(str(metadata["timezone"]))
            except (ZoneInfoNotFoundError, ValueError):
                self.unknown_timezone = str(metadata.pop("timezone"))
        self.zone = ZoneInfo(str(metadata.get("timezone") or settings.get("TIMEZONE") or DEFAULT_ZONE))
        # When is parsed once, here: the URL holds its year and Pelican computes
        # URLs before our schema runs; the schema's When field returns this result.
        self._when = _parsed(metadata.get("when"), self.zone)
        metadata["when_year"] = str(self._when.first.year) if isinstance(self._when, When) else "ajankohta"
        # An event's Status is its state (planned, confirmed, …), checked by the
        # schema, not Pelican's publication status (published, draft): Pelican
        # does not see it, so its status check passes every event (TypedContent
        # allows "published") and the schema alone names a wrong one.
        state = metadata.pop("status", None)
        super().__init__(content, metadata, *args, **kwargs)
        if state is not None:
            self.metadata["status"] = state

    def _when_field(self, raw: str) -> When:
        if isinstance(self._when, tuple):
            raise Invalid(*self._when)
        return self._when

    def get_schema(self):
        groups = {group: group for group in self.settings.get("MEMBER_GROUPS", {})}
        return (
            Field("Uid", "uuid", required=True, example="(.venv/bin/python tasks.py new-event luo tunnisteen)"),
            Field("When", "when", required=True, example="2021-11-17/2021-11-19", help=FORMS_HELP,
                  parse=self._when_field),
            Field("Timezone", default=self.settings.get("TIMEZONE", DEFAULT_ZONE)),
            Field("Precision", "choice", choices=PRECISION),
            Field("Kind", "choice", required=True, choices={k: k for k in KINDS}, example="kokous"),
            Field("Status", "choice", choices={s: s for s in STATUSES}, default=DEFAULT_STATUS),
            Field("Audience", "choice", required=True, choices={"julkinen": "julkinen", **groups},
                  example="julkinen", parse=lambda raw: audience(raw, groups)),
            Field("Location", example="Tampere"),
            Field("Attendance", "choice", choices={a: a for a in ATTENDANCE}),
            Field("Online", "url"),
            Field("Registration", "url"),
            Field("Host", example="lahden-konservatorio"),
            Field("Previous-When", example="2020-09", parse=lambda raw: parse_when(raw, self.zone)),
            *SOURCE_FIELDS,
        )

    def extra_problems(self) -> list[Problem]:
        self.when = self.previous_when = None
        fields = self.fields
        if self.unknown_timezone:
            return [Problem(self.source_path, "Timezone",
                            f"aikavyöhykettä \"{self.unknown_timezone}\" ei tunneta.",
                            "Jätä kenttä pois (Suomen aika) tai kirjoita esim. Europe/Helsinki.")]
        problems = []
        # The schema parsed When and Previous-When (an invalid one is None and
        # already a problem). A date that was given up will not be made more
        # precise: "syyskuu 2020", never "syyskuu 2020 (päivä tarkentuu)".
        if fields.get("when"):
            self.when = fields["when"].with_precision(fields["precision"])
        if fields.get("previous-when"):
            self.previous_when = fields["previous-when"].with_precision("jakso")
        # A period (a project all year, a survey all autumn) can be confirmed as it
        # is; one occasion only once its day is known.
        if self.when and fields["status"] == "vahvistettu" and self.when.uncertain:
            problems.append(Problem(
                self.source_path, "Status",
                "vahvistetulla tapahtumalla ei ole päivämäärää (When kertoo vain kuukauden, "
                "kauden tai vuoden).",
                "Kirjoita When-kenttään päivä (esim. 2021-09-14) tai jätä Status pois, "
                "kunnes päivä on vahvistettu. Jos tapahtuma kestää koko ajan, lisää rivi "
                "Precision: jakso."))
        return problems

    @property
    def planned_only(self) -> bool:
        """Past, and its file never confirmed it: it was planned; whether and when it
        happened is not known here."""
        return self.past and self.fields["status"] in UNCONFIRMED

    @property
    def event_kind(self) -> Kind:
        return KINDS[self.fields["kind"]]

    def schema_ld(self, siteurl: str, organizer: dict, lang: str = "fi") -> dict | None:
        """schema.org Event, only for a public event on a known day that is ahead or
        that its file confirms.

        Says only what the file says: the attendance mode only when the file
        states an Attendance, a status we have no schema.org term for is
        EventScheduled, and the place's address holds only its municipality (named
        in ``lang``: languages/names.py).
        A past event that was only planned gets none: schema.org assumes
        EventScheduled ("has taken place as scheduled") when eventStatus is absent.
        """
        when = self.when
        if not when.exact or self.planned_only:
            return None

        def moment(value):
            return value.isoformat(timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()

        timed = when.kind == "timed"
        page = f"{siteurl}/{self.url}"
        data = {
            "@context": "https://schema.org",
            "@type": "EducationEvent" if self.fields["kind"] == "koulutus" else "Event",
            "name": self.title,
            "url": page,
            "startDate": moment(when.starts if timed else when.first),
            "endDate": moment(when.ends if timed else when.last),  # inclusive in schema.org
            "eventStatus": "https://schema.org/" + SCHEMA_STATUS.get(self.fields["status"], "EventScheduled"),
            "organizer": organizer,
            "inLanguage": language(self.settings),
        }
        attendance = self.stated_attendance
        if attendance in SCHEMA_ATTENDANCE:
            data["eventAttendanceMode"] = "https://schema.org/" + SCHEMA_ATTENDANCE[attendance]
        if self.previous_when and self.previous_when.exact and self.fields["status"] != "siirretty":
            data["eventStatus"] = "https://schema.org/EventRescheduled"
            data["previousStartDate"] = moment(self.previous_when.first)
        locations = []
        if attendance != "verkossa" and self.fields["location"]:
            locations.append(place_ld(place_name(self.fields["location"], lang)))
        if attendance in ("verkossa", "hybridi") or self.fields["online"]:
            locations.append({"@type": "VirtualLocation", "url": self.fields["online"] or page})
        if locations:
            data["location"] = locations[0] if len(locations) == 1 else locations
        if self.plain_summary:
            data["description"] = self.plain_summary
        return data

    @property
    def stated_attendance(self) -> str | None:
        """Attendance as the file states it; None when the file does not say."""
        return self.fields["attendance"] if str(self.metadata.get("attendance") or "").strip() else None

    @property
    def plain_summary(self) -> str:
        return Markup(str(self.metadata.get("summary") or "")).striptags()


def _parsed(raw, zone: ZoneInfo) -> When | tuple[str, str] | None:
    """``When`` parsed, or why it is not (message, fix: kept with a cached
    event, which an exception could not be); None when absent."""
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return parse_when(str(raw), zone)
    except Invalid as error:
        return error.message, error.fix
