"""Settings for Samverkan, read from the environment.

The defaults run the embedded setup: SQLite, no broker (Celery tasks run in
process), email written to files under var/mail. Production (DEBUG off) refuses
to start without a SECRET_KEY.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import (
    ConfigError,
    cache_settings,
    env_bool,
    env_int,
    env_int_list,
    env_list,
    env_str,
    smtp_settings,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SAMVERKAN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The accessibility statement (/tillganglighet/, lagen (2018:1937)): who stands
# behind this installation, whom to contact, and when it was last assessed.
ACCESSIBILITY_BODY = env_str("ACCESSIBILITY_BODY", "Kommunen och Polisen")
ACCESSIBILITY_EMAIL = env_str("ACCESSIBILITY_EMAIL", "tillganglighet@samverkan.localhost")
ACCESSIBILITY_PHONE = env_str("ACCESSIBILITY_PHONE", "")
ACCESSIBILITY_ASSESSED = env_str("ACCESSIBILITY_ASSESSED", "2026-11-24")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "viewflow",
    "viewflow.workflow",
    "anymail",
    "csp",
    "notifications",
    "workflows",
    "promises",
]

# The declared lifecycles (workflows/statemachine.py), one per kind of document:
# docs/lifecycle.md is written from these by `manage.py lifecycle_docs`.
LIFECYCLES = ["workflows.agreement_lifecycle.AGREEMENT", "promises.lifecycle.PROMISE_SET"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "project.locale.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "project.urls"
WSGI_APPLICATION = "project.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "project" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "workflows.context_processors.inbox",
                "workflows.context_processors.audit",
                "workflows.context_processors.kommun_settings",
            ],
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands otherwise.
if not env_str("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samverkan.sqlite3'}"),
        # Reusing connections saves a PostgreSQL connect per request (bench/: ~10 ms).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock when a transaction starts, so two
    # transitions cannot both read the same state and then both write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflows:agreement_list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (SECURE_COOKIES, on by default without DEBUG; bin/run and the local
# recipes turn it off): secure cookies, HSTS and a redirect from plain HTTP.
HTTPS = not DEBUG and env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", True)
# Behind a proxy that ends TLS, the header it sets, e.g. HTTP_X_FORWARDED_PROTO.
if env_str("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (env_str("SECURE_PROXY_SSL_HEADER"), "https")

# Login throttling (project/login_throttle.py): failed logins per account and per
# client address within LOGIN_COOLOFF_MINUTES; past either, 429 until it has passed.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 50)
# Links to choose a password (project/accounts.py) each address and each e-mail
# address may ask for in an hour; a link is valid PASSWORD_RESET_TIMEOUT (3 days).
PASSWORD_LINKS_PER_HOUR = env_int("PASSWORD_LINKS_PER_HOUR", 5)
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)

# A strict Content-Security-Policy on every page (django-csp): scripts, styles and
# frames from this site only, no inline script or style. The development mail page
# shows e-mail HTML from its own URL, in a sandboxed frame with its own policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Celery: with no broker the tasks run in process (after commit, by the caller).
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# Publishing happens after commit in the web request; a dead broker must cost the
# user a second, not a minute. The email is safe in the outbox either way.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE = {
    # Sends what the after-commit kick missed (broker down) and retries failures.
    # Safe to overlap: each row is claimed by one relay. expires: if workers are
    # down, stale relays are dropped rather than piled up.
    "notifications-relay-outbox": {
        "task": "notifications.tasks.relay_outbox",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    # Coming into force, reminders: idempotent, so hourly is only about latency.
    "workflows-periodic": {
        "task": "workflows.tasks.run_periodic",
        "schedule": 3600.0,
        "options": {"expires": 3000},
    },
}

# Email: files under var/mail by default, SMTP with EMAIL_URL=smtp://host:port,
# or an anymail provider with EMAIL_BACKEND=anymail.backends.<esp>.EmailBackend.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Samverkan <noreply@samverkan.localhost>")
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
if env_str("EMAIL_URL"):
    globals().update(smtp_settings(env_str("EMAIL_URL")))
# The provider whose delivery webhook is mounted (notifications/webhooks.py): by
# default the one EMAIL_BACKEND sends through; none for SMTP or the file backend.
ANYMAIL_TRACKING_ESP = env_str(
    "ANYMAIL_TRACKING_ESP",
    EMAIL_BACKEND.split(".")[2] if EMAIL_BACKEND.startswith("anymail.backends.") else "",
)
ANYMAIL = {
    # "user:password" that the provider's tracking webhook sends as basic auth.
    "WEBHOOK_SECRET": env_str("ANYMAIL_WEBHOOK_SECRET"),
}
if not DEBUG and EMAIL_BACKEND.startswith("anymail.") and not ANYMAIL["WEBHOOK_SECRET"]:
    # Without it anyone could post delivery reports; notifications ignores them then.
    raise ConfigError("ANYMAIL_WEBHOOK_SECRET must be set when EMAIL_BACKEND is anymail")
# The outbox relay: after this many failed attempts a row ends as failed; a row
# left "sending" by a dead worker is claimable again after the lease.
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 6)
NOTIFICATIONS_LEASE_SECONDS = env_int("NOTIFICATIONS_LEASE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Links in task e-mails: how long they work, and how many bad links one address
# may try before it is slowed down.
LINK_TTL_DAYS = env_int("LINK_TTL_DAYS", 30)
# The key e-mail links are derived with (workflows/services/tokens.py); kept outside
# the database. Empty: derived from SECRET_KEY. Changing it voids every open link.
LINK_SECRET_KEY = env_str("LINK_SECRET_KEY", "")
# How long the signed cookie that a link's GET sets lets the confirm page act.
LINK_COOKIE_MAX_AGE = env_int("LINK_COOKIE_MAX_AGE", 4 * 3600)
LINK_FAILURES_PER_HOUR = env_int("LINK_FAILURES_PER_HOUR", 20)
# The failed link look-ups are counted in the default cache (django-ratelimit).
# The default keeps them per process: set CACHE_URL=redis://… in production so
# that every worker shares one count.
CACHES = {"default": cache_settings(env_str("CACHE_URL"))}
# The client's address is REMOTE_ADDR; behind a reverse proxy, name the header it
# sets (e.g. HTTP_X_REAL_IP), or every visitor would share the proxy's count.
RATELIMIT_IP_META_KEY = env_str("RATELIMIT_IP_META_KEY") or None
# Signing through an OpenID Connect identity broker (workflows/services/oidc.py).
# Without OIDC_ISSUER the signatory re-enters their Samverkan password instead.
OIDC_ISSUER = env_str("OIDC_ISSUER")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
# The assurance levels accepted for signing, e.g. the eIDAS/DIGG LoA 3 URI.
OIDC_ACR_VALUES = env_list("OIDC_ACR_VALUES", ["http://id.elegnamnden.se/loa/1.0/loa3"])
# How fresh the login must be, in seconds: at most five minutes.
OIDC_MAX_AGE = min(env_int("OIDC_MAX_AGE", 300), 300)
# The claim a provider reports the personal identity number in, and the key people's
# numbers are bound by (a keyed HMAC; kept outside the database, like SECRET_KEY).
OIDC_NUMBER_CLAIM = env_str("OIDC_NUMBER_CLAIM", "https://id.oidc.se/claim/personalIdentityNumber")
IDENTITY_NUMBER_KEY = env_str("IDENTITY_NUMBER_KEY")
# The seal on a signed agreement's PDF/A (workflows/export/seal.py): a PKCS#12 file
# with the installation's certificate and key, and its password. Without them the
# PDF/A is kept and sent unsealed, and the trail says it was not sealed.
SEAL_PKCS12_FILE = env_str("SEAL_PKCS12_FILE")
SEAL_PKCS12_PASSWORD = env_str("SEAL_PKCS12_PASSWORD")
# A worker killed while sealing: the periodic job seals versions signed this recently.
SEAL_CATCH_UP_DAYS = env_int("SEAL_CATCH_UP_DAYS", 7)

# When tasks are due (workflows/deadlines.py): a decision without a date asked for
# ESCALATE_AFTER_DAYS after the proposal, a signature SIGN_WITHIN_DAYS after the
# decision. The assignee is reminded REMIND_DAYS_BEFORE_DUE before; once the day has
# passed, the drafters are told. Steps after a decision (the anslag) and
# medborgarlöften are reminded again every REMINDER_AFTER_DAYS.
REMINDER_AFTER_DAYS = env_int("REMINDER_AFTER_DAYS", 5)
ESCALATE_AFTER_DAYS = env_int("ESCALATE_AFTER_DAYS", 10)
SIGN_WITHIN_DAYS = env_int("SIGN_WITHIN_DAYS", 14)
REMIND_DAYS_BEFORE_DUE = env_int("REMIND_DAYS_BEFORE_DUE", 5)
# Days before an agreement's end date that its drafters and signatories are warned.
EXPIRY_WARNING_DAYS = env_int_list("EXPIRY_WARNING_DAYS", [90, 30])
# Follow-up reports: the drafters are reminded this many days before a report is due
# (and on the day); this many days after it, the chiefs of both parties are told.
FOLLOW_UP_REMINDER_DAYS = env_int("FOLLOW_UP_REMINDER_DAYS", 14)
FOLLOW_UP_ESCALATE_DAYS = env_int("FOLLOW_UP_ESCALATE_DAYS", 14)
# Days after the last day to appeal before the nämndsekreterare is asked to confirm
# that no appeal came in (an appeal goes to the court, so the kommun learns late).
LAGA_KRAFT_REMINDER_DAYS = env_int("LAGA_KRAFT_REMINDER_DAYS", 7)
