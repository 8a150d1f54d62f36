"""Settings for the test suite: the real settings, with a throwaway key and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
# The webhook tests post to Postmark's tracking URL, the one a Postmark installation mounts.
os.environ.setdefault("ANYMAIL_TRACKING_ESP", "postmark")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client and the browser tests' live server speak plain HTTP; the HTTPS
# switch itself is tested with the production variables (tests/test_deploy_check.py).
SECURE_SSL_REDIRECT = False

# The test database is flushed between transactional tests with TRUNCATE, which the
# append-only tables refuse unless the session says so (workflows/append_only.py).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c samverkan.maintenance=flush"  # noqa: F405
