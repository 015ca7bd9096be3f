"""Settings for the development build (make serve).

publishconf.py builds on these for production (make build).
"""

import os

SITENAME = "Suomen konservatorioliitto"
SITENAME_GENITIVE = "Suomen konservatorioliiton"  # Finnish UI text: "… on Suomen konservatorioliiton jäsen"
SITE_LEGAL_NAME = "Suomen konservatorioliitto – Finlands konservatorieförbund r.y."
SITE_DESCRIPTION = (
    "Suomen konservatorioliitto on musiikin ja tanssin toisen asteen ammatillisen "
    "koulutuksen edunvalvoja ja 16 jäsenoppilaitoksensa yhteistyöfoorumi."
)
SITEURL = ""
PUBLIC_SITEURL = "https://konservatorioliitto.fi"
DEFAULT_LANG = "fi"
TIMEZONE = "Europe/Helsinki"

# Contact details shown in the footer; all from the association's action plan
# and its public registry entry.
CONTACT = {
    "street": "Arabiankatu 2",
    "postcode": "00560",
    "city": "Helsinki",
    "business_id": "0997495-2",
}

PATH = "content"
# Only posts are articles and only pages are pages: later content types
# (directory, events, channels, members) live in folders of their own.
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
# Content images are not copied as they are: responsive_images publishes
# resized copies without their metadata. Files linked with {static} are still
# copied; the site's icons and manifest come from theme/root/.
STATIC_PATHS = []
IGNORE_FILES = [".#*", "*~", "*.swp", ".DS_Store"]

THEME = "theme"
PLUGIN_PATHS = ["plugins"]
# Listed explicitly: with PLUGINS unset Pelican loads every installed plugin.
# strict_build comes first: it runs the build's phases (check, render, files,
# compress: plugins/sitecore/build.py), which the others join. sitecore and
# content_types are libraries the plugins import, not plugins.
PLUGINS = ["strict_build", "site_search", "content_rules", "sources", "babel_i18n", "site_nav", "languages", "feed_meta",
           "authors", "member_directory", "channels", "event_calendar",
           "members_area", "editor", "assets", "responsive_images", "social_cards", "site_meta",
           "precompress"]
JINJA_ENVIRONMENT = {"extensions": ["jinja2.ext.i18n"], "trim_blocks": True,
                     "lstrip_blocks": True}

# Blog: categories a post may use. A category's URL slug is its whole name slugified
# ("Lausunnot ja kannanotot" → ajankohtaista/kategoria/lausunnot-ja-kannanotot/).
ALLOWED_CATEGORIES = [
    "Liiton toiminta",
    "Edunvalvonta",
    "Hankkeet",
    "Tutkimukset",
    "Koulutukset",
    "Jäsenoppilaitokset",
    "Lausunnot ja kannanotot",
]
STATEMENTS_CATEGORY = "Lausunnot ja kannanotot"  # linked beside the news on the front page
DEFAULT_CATEGORY = "Luokittelematon"  # never allowed: flags a missing Category
USE_FOLDER_AS_CATEGORY = False
# A post states its Date itself; the date in the file name is only for sorting files.
FILENAME_METADATA = ""
AUTHOR = None
# What structured data says each author is (plugins/authors): the office is an
# organisation; "Toiminnanjohtaja" is a role held by a person whose name the posts
# do not give. Authors not listed here are people writing under their own name.
AUTHOR_SCHEMA = {
    "Konservatorioliiton toimisto": {"@type": "Organization"},
    "Toiminnanjohtaja": {"@type": "Person", "name": "Suomen konservatorioliiton toiminnanjohtaja",
                         "jobTitle": "Toiminnanjohtaja"},
}
WITH_FUTURE_DATES = False  # a post dated in the future is not published yet
DEFAULT_PAGINATION = 10
SUMMARY_MAX_LENGTH = 40
TYPOGRIFY = False

# Finnish URLs. Pelican's default pagination pattern ({name}{number}) makes
# page 5 of tag "x" collide with tag "x5", hence the /sivu/N/ folders.
ARTICLE_URL = "ajankohtaista/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
DRAFT_URL = "luonnokset/{slug}/"
DRAFT_SAVE_AS = DRAFT_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = PAGE_URL + "index.html"
DRAFT_PAGE_URL = "luonnokset/sivut/{slug}/"
DRAFT_PAGE_SAVE_AS = DRAFT_PAGE_URL + "index.html"
CATEGORY_URL = "ajankohtaista/kategoria/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
TAG_URL = "ajankohtaista/aihe/{slug}/"
TAG_SAVE_AS = TAG_URL + "index.html"
AUTHOR_URL = "ajankohtaista/kirjoittaja/{slug}/"
AUTHOR_SAVE_AS = AUTHOR_URL + "index.html"
CATEGORIES_URL = "ajankohtaista/kategoriat/"
CATEGORIES_SAVE_AS = CATEGORIES_URL + "index.html"
TAGS_URL = "ajankohtaista/aiheet/"
TAGS_SAVE_AS = TAGS_URL + "index.html"
AUTHORS_URL = "ajankohtaista/kirjoittajat/"
AUTHORS_SAVE_AS = AUTHORS_URL + "index.html"
ARCHIVES_URL = "ajankohtaista/arkisto/"
ARCHIVES_SAVE_AS = ARCHIVES_URL + "index.html"
YEAR_ARCHIVE_URL = "ajankohtaista/{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = YEAR_ARCHIVE_URL + "index.html"
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
INDEX_URL = "ajankohtaista/"
INDEX_SAVE_AS = INDEX_URL + "index.html"
FRONT_SAVE_AS = "index.html"
DIRECT_TEMPLATES = ["front", "index", "categories", "tags", "authors", "archives", "search", "404"]
SEARCH_URL = "haku/"
SEARCH_SAVE_AS = SEARCH_URL + "index.html"
PAGINATED_TEMPLATES = {"index": None, "tag": None, "category": None, "author": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/sivu/{number}/", "{base_name}/sivu/{number}/index.html"),
)

# Feeds: all posts and one per category, Atom and RSS.
FEED_DOMAIN = PUBLIC_SITEURL
FEED_ALL_ATOM = "syotteet/kaikki.atom.xml"
FEED_ALL_RSS = "syotteet/kaikki.rss.xml"
CATEGORY_FEED_ATOM = "syotteet/{slug}.atom.xml"
CATEGORY_FEED_RSS = "syotteet/{slug}.rss.xml"
FEED_ATOM = None
FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = True

# The development build reads unchanged files from a cache; sha256 survives
# git checkouts, which reset modification times.
CACHE_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "pelican")
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "sha256"

# Member directory (content/directory/): a page per institution under /jasenet/.
DIRECTORY_PATHS = ["directory"]
DIRECTORY_URL = "jasenet/"
INSTITUTION_URL = "jasenet/{slug}/"
INSTITUTION_SAVE_AS = INSTITUTION_URL + "index.html"
DIRECTORY_JSON_SAVE_AS = "directory.json"

# Members' groups: who may see internal channels, events and members' content.
MEMBER_GROUPS = {
    "jasenet": "Jäsenoppilaitokset",
    "hallitus": "Hallitus",
    "kollegio": "Kollegio",
    "talouspaallikot": "Talouspäälliköt",
    "opiskelijahallinto": "Opiskelijahallinto",
}

# Activity calendar (content/events/).
EVENT_PATHS = ["events"]
EVENTS_URL = "tapahtumat/"
EVENT_URL = "tapahtumat/{when_year}/{slug}/"
EVENT_SAVE_AS = EVENT_URL + "index.html"
EVENTS_TODAY = None  # "YYYY-MM-DD" fixes the build's idea of today (tests); None = the real date
# SEQUENCE and DTSTAMP of each event come from its file's git history
# (plugins/event_calendar/history.py): builds write nothing into content/.

# Members' section (content/members/): encrypted at build time, opened in the
# browser with the group's password. Development builds use these documented,
# public passwords; publishconf.py demands real ones from the environment.
MEMBERS_PATHS = ["members"]
MEMBERS_URL = "jasenalue/"
MEMBERITEM_URL = "jasenalue/{id}/"
MEMBERITEM_SAVE_AS = ""  # the generator writes encrypted pages itself
# Argon2id for the key slots (memory in KiB); never below OWASP's minimum
# (19456 KiB, 2 iterations). See plugins/members_area/crypto.py and the README.
# Development builds use that minimum: their passwords are public, so a costly
# derivation would protect nothing and only slow every preview rebuild (and
# login). publishconf.py sets the production cost.
MEMBERS_KDF = {"memory": 19456, "iterations": 2, "parallelism": 1}
# Slot salts change every this many days (1–30): a key a browser kept opens
# builds of its own period only, so a remembered login lasts until the period ends.
MEMBERS_ROTATION_DAYS = 30
MEMBERS_TODAY = None  # "YYYY-MM-DD" fixes the rotation period (tests); None = the real date
# Pairs of groups that may share a password on purpose, e.g. [["kollegio", "jasenet"]].
MEMBERS_SHARED_PASSWORDS = []
MEMBERS_PASSWORDS = "development"
MEMBERS_DEV_PASSWORDS = {
    "jasenet": "kehitys-jasenet-salasana",
    "hallitus": "kehitys-hallitus-salasana",
    "kollegio": "kehitys-kollegio-salasana",
    "talouspaallikot": "kehitys-talouspaallikot-salasana",
    "opiskelijahallinto": "kehitys-opiskelijahallinto-salasana",
}

# Communication channels (content/channels/). The newsletter form posts to
# the Mailchimp list's own signup address ("…list-manage.com/subscribe/post?u=…&id=…");
# until it is set here, the Viestintä page shows no form.
CHANNEL_PATHS = ["channels"]
CHANNEL_URL = ""
CHANNEL_SAVE_AS = ""
NEWSLETTER_SIGNUP_URL = None

# --- Languages (plugins/languages) -------------------------------------------------
# Finnish is the site's language; Swedish and English pages are translations: a file
# with "Lang: sv" and the Finnish page's Slug. "locale" is Babel's for dates, "og_locale"
# the page's og:locale; "sitename"/"description" the site's name and description in
# the language ("sitename_lang" when the name is not in that language: English pages
# use the official Finnish name).
LANGUAGES = {
    "fi": {"name": "Suomi", "locale": "fi", "og_locale": "fi_FI"},
    "sv": {"name": "Svenska", "locale": "sv_FI", "og_locale": "sv_FI",
           "sitename": "Finlands konservatorieförbund",
           "description": "Finlands konservatorieförbund bevakar intressena för yrkesutbildningen "
                          "inom musik och dans på andra stadiet och är ett forum för samarbete "
                          "mellan sina 16 medlemsläroanstalter."},
    "en": {"name": "English", "locale": "en_FI", "og_locale": "en_GB",
           "sitename": "Suomen konservatorioliitto", "sitename_lang": "fi",
           "description": "Suomen konservatorioliitto, the association of Finnish conservatories, "
                          "represents upper secondary vocational education in music and dance "
                          "and is a forum for cooperation between its 16 member institutions."},
}
# A translation's address: /sv/ or /en/ and its Finnish address word for word in
# the language ("liitto/hallinto" → "sv/forbundet/forvaltning/"). A word missing
# here stops the build naming it; words of post addresses (slugs) may stay Finnish.
URL_WORDS = {
    "sv": {"etusivu": "", "liitto": "forbundet", "hallinto": "forvaltning",
           "yhteystiedot": "kontakt", "jasenet": "medlemmar", "ajankohtaista": "aktuellt",
           "tapahtumat": "evenemang", "koulutus-ja-tutkimus": "utbildning-och-forskning",
           "tutkimukset": "undersokningar", "hankkeet": "projekt", "koulutukset": "utbildningar",
           "vaikuttaminen": "paverkan", "saavutettavuusseloste": "tillganglighetsutlatande",
           "tietosuojaseloste": "dataskyddsbeskrivning", "jasenalue": "medlemsomrade",
           "haku": "sok", "kansainvalisyys": "internationellt", "opiskelijoille": "for-studerande",
           "ansio-ja-kunniamerkit": "fortjanst-och-hederstecken", "jasenyydet": "medlemskap",
           "rahoitus": "finansiering", "toimintasuunnitelma-2021": "verksamhetsplan-2021",
           "viestinta": "kommunikation", "kuntavaalit-2021": "kommunalvalet-2021",
           "musiikkikoulutuksen-visio-2030": "vision-2030",
           "taide-ja-kulttuuri-alueilla": "konst-och-kultur-i-regionerna",
           "tasa-arvo-ja-moninaisuus": "jamstalldhet-och-mangfald", "teosto": "teosto",
           "tyoryhmat": "arbetsgrupper", "yhteistyo": "samarbete"},
    "en": {"etusivu": "", "liitto": "association", "hallinto": "administration",
           "yhteystiedot": "contact", "jasenet": "members", "ajankohtaista": "news",
           "tapahtumat": "events", "koulutus-ja-tutkimus": "training-and-research",
           "tutkimukset": "research", "hankkeet": "projects", "koulutukset": "training",
           "vaikuttaminen": "advocacy", "saavutettavuusseloste": "accessibility",
           "tietosuojaseloste": "privacy", "jasenalue": "members-area", "haku": "search",
           "kansainvalisyys": "international", "opiskelijoille": "for-students",
           "ansio-ja-kunniamerkit": "badges-of-merit", "jasenyydet": "memberships",
           "rahoitus": "funding", "toimintasuunnitelma-2021": "action-plan-2021",
           "viestinta": "communications", "kuntavaalit-2021": "municipal-elections-2021",
           "musiikkikoulutuksen-visio-2030": "vision-2030",
           "taide-ja-kulttuuri-alueilla": "arts-and-culture-in-the-regions",
           "tasa-arvo-ja-moninaisuus": "equality-and-diversity", "teosto": "teosto",
           "tyoryhmat": "working-groups", "yhteistyo": "cooperation"},
}
PAGE_LANG_URL = "{lang_path}"
PAGE_LANG_SAVE_AS = PAGE_LANG_URL + "index.html"
ARTICLE_LANG_URL = "{lang_path}"
ARTICLE_LANG_SAVE_AS = ARTICLE_LANG_URL + "index.html"
# --- end of languages ----------------------------------------------------------------

# Search, images, social cards, compression.
SEARCH_INDEX = True  # Pagefind over the public output after every build
IMAGE_SOURCE_DIR = "images"
IMAGE_OUTPUT_DIR = "kuvat"
SOCIAL_CARD_DIR = "kortit"
PRECOMPRESS = False  # gzip and brotli copies: production only

# No smarty: it writes English “quotes” where Finnish uses ”these” and it
# doubled the cost of converting Markdown. Writers type – ” … themselves.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.meta": {},
        "markdown.extensions.toc": {"permalink": False},
    },
    "output_format": "html5",
}
