"""Settings for the production build (make build): pelicanconf plus these."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F403

SITEURL = PUBLIC_SITEURL  # noqa: F405
RELATIVE_URLS = False
# Drafts are previewed in development only: never written in production.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
# Build from the files themselves, not from a cache that settings may have outdated.
# No content cache: Pelican decides that a post dated in the future is not yet
# published when it reads the file, and a cached post would keep that verdict
# after its date (the nightly build publishes such posts).
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
PRECOMPRESS = True

# Members' passwords come from MEMBERS_PASSWORD_<GROUP> or MEMBERS_SECRETS_FILE;
# the build stops when one is missing or is a development password.
MEMBERS_PASSWORDS = "production"
# Argon2id for the production key slots: 64 MiB, 5 passes, 1 lane (about 0.3 s
# per guess on this machine's CPU; see the README's "Members' section").
MEMBERS_KDF = {"memory": 65536, "iterations": 5, "parallelism": 1}
