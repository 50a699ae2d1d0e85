"""PatientVoice settings: one module, driven by environment variables.

Every variable is documented in `.env.example`. Two profiles exist:

* ``PV_PROFILE=local`` (default): SQLite under ``var/``, e-mail to files, a secret
  key generated once into ``var/``. Needs nothing but Python.
* ``PV_PROFILE=production``: ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``
  are required; HTTPS, HSTS and secure cookies are on.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import environ
from django.utils.csp import CSP  # type: ignore[import-untyped,unused-ignore]

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = BASE_DIR / "patientvoice"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PROFILE = env.str("PV_PROFILE", default="local")
if PROFILE not in {"local", "production"}:  # pragma: no cover - configuration error
    raise environ.ImproperlyConfigured("PV_PROFILE must be 'local' or 'production'")
PRODUCTION = PROFILE == "production"
TESTING = "pytest" in sys.modules or env.bool("PV_TESTING", default=False)

VAR_DIR = Path(env.str("PV_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise warns when STATIC_ROOT is missing


def _local_secret_key() -> str:
    """A key generated once per checkout, so sessions survive restarts locally."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _local_secret_key()

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# `make run` passes the address it serves on (PV_DEFAULT_SITE_URL), so links in e-mails
# point there unless SITE_URL says otherwise.
SITE_URL = env.str(
    "SITE_URL", default=os.environ.get("PV_DEFAULT_SITE_URL", "http://127.0.0.1:8000")
).rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "patientvoice.core.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django.contrib.sites",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "patientvoice.core",
    "patientvoice.accounts",
    "patientvoice.organizations",
    "patientvoice.directory",
    "patientvoice.communities",
    "patientvoice.notifications",
    "patientvoice.search",
    "patientvoice.moderation",
    "patientvoice.reviews",
    "patientvoice.professionals",
    "patientvoice.expertnotes",
    "patientvoice.safety",
    "patientvoice.stories",
    "patientvoice.campaigns",
    "patientvoice.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "patientvoice.core.middleware.RequestLogMiddleware",
    # ETags for the API and feeds, answered with 304 (outside everything that changes
    # the content, so the tag is of what is sent).
    "patientvoice.core.middleware.ConditionalGetMiddleware",
    "patientvoice.api.middleware.ApiErrorShapeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "patientvoice.core.middleware.UploadSizeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "patientvoice.core.middleware.CsrfSlotMiddleware",
    "patientvoice.core.pagecache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "patientvoice.accounts.middleware.PrivilegeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "patientvoice.accounts.middleware.PreferredLanguageMiddleware",
    "patientvoice.accounts.middleware.ConsentRequiredMiddleware",
    "patientvoice.core.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "patientvoice.urls"
WSGI_APPLICATION = "patientvoice.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "patientvoice.core.context_processors.site",
            ],
        },
    }
]

FORM_RENDERER = "patientvoice.core.formrendering.FormRenderer"
# Messages live in the session, so no extra cookie is set (cookie statement).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Database ------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL")
    if PRODUCTION
    else env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'patientvoice.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the one writer work at once; IMMEDIATE avoids
    # "database is locked" upgrades from read to write inside a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA temp_store=MEMORY; PRAGMA mmap_size=134217728;"
        ),
    }
    # Keep each worker thread's connection: opening one and running the pragmas above
    # cost about as much as a whole small page (0.5 ms a request, measured with
    # bench/run.py).
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Server-side binding and prepared statements (off by default): after five runs
    # PostgreSQL may keep one generic plan per query instead of planning every run. For
    # the member's thread page, whose queries take longer to plan than to run, that
    # took a request from 8.4 to 3.0 ms (in-process, 100,000 posts); for the medicine
    # page the generic plan of a skewed column was worse, 3.4 to 10.8 ms, and 27
    # requests/s at full size. Not on until the hot queries are checked one by one.
    # Never behind PgBouncer older than 1.21 in transaction mode.
    if env.bool("PV_PG_PREPARED", default=False):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": 5}
        )
# Read replicas (decisions/0044): "replica1", "replica2", ... and the router that sends
# page reads to them. Without replicas no router is installed, so no query pays for one.
DATABASE_REPLICA_URLS: list[str] = env.list("DATABASE_REPLICA_URLS", default=[])
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica{_number}"] = {
        **env.db_url_config(_url),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
        # Tests read the test database through the replica's name.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS: list[str] = (
    ["patientvoice.core.dbrouters.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
)
# Seconds a browser's pages read from the primary after it wrote, so the page a form
# redirects to shows what was posted although a replica lags.
PV_REPLICA_STICKY_SECONDS = env.int("PV_REPLICA_STICKY_SECONDS", default=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions ----------------------------------------------------------------
# Tests never touch a Redis or a bucket that a developer's .env names.
REDIS_URL = "" if TESTING else env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
else:
    # A file cache is shared by every server worker on one machine, which the
    # login rate limits need; Redis replaces it as soon as REDIS_URL is set. Sessions
    # are read from it (the database stays the record), which spares every signed-in
    # request a query; logging out deletes both.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Whole pages for visitors (core.pagecache, decisions/0045): kept in each worker's
# memory, so a stored page costs no round trip; forgotten through a generation token
# in the shared default cache after any write. Off in tests unless a test turns it on.
PV_PAGE_CACHE = env.bool("PV_PAGE_CACHE", default=not TESTING)
PV_PAGE_CACHE_SECONDS = env.int("PV_PAGE_CACHE_SECONDS", default=120)
CACHES["pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
    # ~40 KB a page: at most ~40 MB a worker.
    "OPTIONS": {"MAX_ENTRIES": env.int("PV_PAGE_CACHE_ENTRIES", default=1000)},
}

# --- Tasks -------------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": ["default", "email"],
    }
}

# --- Authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, reading the session's user by a prepared query.
    "patientvoice.accounts.backends.ModelBackend",
    "patientvoice.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; tests create thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "patientvoice.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
# Changing e-mail, password or second factors, and creating API tokens, need the
# password again when the last login is older than five minutes.
ACCOUNT_REAUTHENTICATION_REQUIRED = True
# Tell people by e-mail when their password, e-mail address or second factors change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_SIGNUP_FORM_CLASS = "patientvoice.accounts.forms.SignupExtraForm"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "PatientVoice: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Lockout: five failed logins per address within five minutes block further tries.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION
MFA_TOTP_ISSUER = "PatientVoice"
MFA_ADAPTER = "patientvoice.accounts.mfa.MFAAdapter"

PV_MINIMUM_AGE = env.int("PV_MINIMUM_AGE", default=16)
# The legal entity that runs this installation, named on the contact page.
PV_OPERATOR_NAME = env.str("PV_OPERATOR_NAME", default="PatientVoice (demo)")
# Where people write to the operator (contact page); one address, or three.
PV_CONTACT_EMAIL = env.str("PV_CONTACT_EMAIL", default="support@patientvoice.local")
PV_PRIVACY_EMAIL = env.str("PV_PRIVACY_EMAIL", default="") or PV_CONTACT_EMAIL
PV_SECURITY_EMAIL = env.str("PV_SECURITY_EMAIL", default="") or PV_CONTACT_EMAIL
# Days between "delete my account" and the erasure itself (docs/privacy.md).
PV_ERASURE_GRACE_DAYS = env.int("PV_ERASURE_GRACE_DAYS", default=7)
# Flags a member (or notices an e-mail address) may send in an hour (moderation).
PV_FLAGS_PER_HOUR = env.int("PV_FLAGS_PER_HOUR", default=20)
# Notices of illegal content the form takes from one network address in an hour.
PV_NOTICES_PER_HOUR_PER_IP = env.int("PV_NOTICES_PER_HOUR_PER_IP", default=5)
# Automated help (moderation): hold the first N texts of a new account for a moderator
# (0: off); posts (threads and replies) a member, and a network address, may send an hour.
PV_HOLD_FIRST_POSTS = env.int("PV_HOLD_FIRST_POSTS", default=0)
PV_POSTS_PER_HOUR = env.int("PV_POSTS_PER_HOUR", default=30)
PV_POSTS_PER_HOUR_PER_IP = env.int("PV_POSTS_PER_HOUR_PER_IP", default=60)
# Reviews (decisions/0031): how many a member may write in a day, and for how many days
# after sign-up their reviews are held for a moderator (as are reviews from accounts
# without a verified e-mail address).
PV_REVIEWS_PER_DAY = env.int("PV_REVIEWS_PER_DAY", default=10)
PV_REVIEW_HOLD_NEW_ACCOUNT_DAYS = env.int("PV_REVIEW_HOLD_NEW_ACCOUNT_DAYS", default=7)
# Verified professionals (decisions/0033): months a credential lasts before it must be
# re-confirmed; whether verification evidence is kept after the decision (deleted by
# default, its SHA-256 and size kept); the registry backends asked about each
# application (dotted paths of professionals.registries.RegistryBackend classes; none
# ships, as no registry is reachable without an agreement).
PV_CREDENTIAL_MONTHS = env.int("PV_CREDENTIAL_MONTHS", default=12)
PV_KEEP_VERIFICATION_EVIDENCE = env.bool("PV_KEEP_VERIFICATION_EVIDENCE", default=False)
PV_PROFESSIONAL_REGISTRIES: list[str] = env.list("PV_PROFESSIONAL_REGISTRIES", default=[])

# Side-effect safety (decisions/0035, 0036): the detector's confidence from which a
# mention opens a safety signal, and the days before a case's reporting deadline on
# which the safety officers are reminded.
PV_SAFETY_SIGNAL_THRESHOLD = env.float("PV_SAFETY_SIGNAL_THRESHOLD", default=0.5)
# Campaigns (decisions/0041): votes from accounts younger than this many days beyond this
# many an hour in one campaign are held for moderators; submissions per person an hour.
PV_CAMPAIGN_NEW_ACCOUNT_DAYS = env.int("PV_CAMPAIGN_NEW_ACCOUNT_DAYS", default=7)
PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR = env.int(
    "PV_CAMPAIGN_NEW_ACCOUNT_VOTES_PER_HOUR", default=20
)
PV_CAMPAIGN_SUBMISSIONS_PER_HOUR = env.int("PV_CAMPAIGN_SUBMISSIONS_PER_HOUR", default=10)
# Stories' guest comments (decisions/0040): publish a confirmed guest comment with no
# other hold reason at once (default: a moderator still reads it first), the limits per
# address and per e-mail an hour, and how long the guest's link works.
PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED = env.bool(
    "PV_GUEST_COMMENTS_AUTO_PUBLISH_CONFIRMED", default=False
)
PV_GUEST_COMMENTS_PER_HOUR_PER_IP = env.int("PV_GUEST_COMMENTS_PER_HOUR_PER_IP", default=10)
PV_GUEST_COMMENTS_PER_HOUR_PER_EMAIL = env.int("PV_GUEST_COMMENTS_PER_HOUR_PER_EMAIL", default=5)
PV_GUEST_COMMENT_LINK_DAYS = env.int("PV_GUEST_COMMENT_LINK_DAYS", default=30)
PV_SAFETY_ESCALATE_DAYS = env.str("PV_SAFETY_ESCALATE_DAYS", default="7,3,1")
# The E2B(R3) export's sender and receiver (decisions/0039): who sends the reports (the
# operator, or the marketing authorisation holder it reports for) and to whom.
PV_SAFETY_SENDER_ID = env.str("PV_SAFETY_SENDER_ID", default="PATIENTVOICE")
PV_SAFETY_RECEIVER_ID = env.str("PV_SAFETY_RECEIVER_ID", default="EVHUMAN")
PV_SAFETY_SENDER_TYPE = env.str("PV_SAFETY_SENDER_TYPE", default="6")
PV_SAFETY_SENDER_ORGANISATION = env.str("PV_SAFETY_SENDER_ORGANISATION", default="")
PV_SAFETY_SENDER_DEPARTMENT = env.str("PV_SAFETY_SENDER_DEPARTMENT", default="")
PV_SAFETY_SENDER_COUNTRY = env.str("PV_SAFETY_SENDER_COUNTRY", default="SE")
PV_SAFETY_SENDER_EMAIL = env.str("PV_SAFETY_SENDER_EMAIL", default="")
PV_SAFETY_PRIMARY_SOURCE_COUNTRY = env.str("PV_SAFETY_PRIMARY_SOURCE_COUNTRY", default="")
PV_SAFETY_MEDDRA_VERSION = env.str("PV_SAFETY_MEDDRA_VERSION", default="")
PV_SAFETY_SOLICITED_STUDY_NAME = env.str("PV_SAFETY_SOLICITED_STUDY_NAME", default="")

# Sponsor-controlled deployment (decisions/0038): prescription medicines get neutral
# pages (no rating summary or ranking; reviews stay), and texts by sponsor staff wait
# for a recorded medical and legal approval.
PV_SPONSOR_CONTROLLED = env.bool("PV_SPONSOR_CONTROLLED", default=False)

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale", PACKAGE_DIR / "locale_overrides"]
FORMAT_MODULE_PATH = ["patientvoice.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "pv_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files and uploads ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Files only staff may read (verification evidence): never under MEDIA_ROOT, never
# served by a URL; read through views that check the role (storages["private"]).
PV_PRIVATE_ROOT = Path(env.str("PV_PRIVATE_ROOT", default=str(VAR_DIR / "private")))
# The largest request body (413 above it, before it is read): a campaign video (50 MB)
# with its form.
PV_MAX_UPLOAD_BYTES = env.int("PV_MAX_UPLOAD_BYTES", default=52 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

AWS_STORAGE_BUCKET_NAME = "" if TESTING else env.str("AWS_STORAGE_BUCKET_NAME", default="")


def _media_origins(
    *, bucket: str, custom_domain: str | None, endpoint_url: str | None, region: str | None
) -> list[str]:
    """The origins django-storages builds upload URLs on: the custom domain, else the
    endpoint (path-style) and the bucket under it (virtual-hosted style), else AWS's
    virtual-hosted names."""
    from urllib.parse import urlsplit

    if custom_domain:
        return ["https://" + custom_domain.split("/", 1)[0]]
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com"]
    if region:
        origins.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return origins


_static_backend = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if TESTING
    else "patientvoice.core.staticfiles.StaticFilesStorage"
)
# Where pictures are shown from, for the CSP's img-src (our own origin serves them
# when they are on disk).
PV_MEDIA_ORIGINS: list[str] = []
STORAGES: dict[str, dict[str, object]]  # "private" below has OPTIONS
if AWS_STORAGE_BUCKET_NAME:
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="") or None
    # A CDN or the bucket's public host name (media.example.org), without a scheme.
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default="") or None
    AWS_DEFAULT_ACL = None
    # Uploads are public pictures under unguessable, never reused names (decisions/0024):
    # plain URLs that browsers and a CDN cache for ever, not signed ones that expire
    # and differ on every page view. True only for a bucket that is not public.
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_S3_FILE_OVERWRITE = False
    PV_MEDIA_ORIGINS = _media_origins(
        bucket=AWS_STORAGE_BUCKET_NAME,
        custom_domain=AWS_S3_CUSTOM_DOMAIN,
        endpoint_url=AWS_S3_ENDPOINT_URL,
        region=AWS_S3_REGION_NAME,
    )
    STORAGES = {
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
        "staticfiles": {"BACKEND": _static_backend},
    }
else:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": _static_backend},
    }
# Private files: a folder under PV_VAR_DIR (every app server must see the same one), or
# a bucket of their own that is never public, with PV_PRIVATE_BUCKET.
PV_PRIVATE_BUCKET = "" if TESTING else env.str("PV_PRIVATE_BUCKET", default="")
STORAGES["private"] = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PV_PRIVATE_BUCKET,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "custom_domain": None,
        },
    }
    if PV_PRIVATE_BUCKET
    else {"BACKEND": "patientvoice.professionals.evidence.PrivateFileStorage"}
)
WHITENOISE_MAX_AGE = 3600

# --- E-mail ---------------------------------------------------------------------------------------
# Django 6.1's MAILERS (the EMAIL_* settings are deprecated). EMAIL_URL, e.g.
# smtp+tls://user:password@smtp.example.org:587, configures a real server.
EMAIL_URL = env.str("EMAIL_URL", default="")
if EMAIL_URL:
    _mail = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _mail["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _mail.get("EMAIL_HOST") or "localhost",
                "port": _mail.get("EMAIL_PORT") or 25,
                "username": _mail.get("EMAIL_HOST_USER") or "",
                "password": _mail.get("EMAIL_HOST_PASSWORD") or "",
                "use_tls": bool(_mail.get("EMAIL_USE_TLS")),
                "use_ssl": bool(_mail.get("EMAIL_USE_SSL")),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "patientvoice.core.mail.FileAndConsoleBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="PatientVoice <noreply@patientvoice.local>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers ----------------------------------------------------------------------------
# No third-party requests of any kind: everything is served from our own origin, and
# uploaded pictures from our own object storage when one is configured.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *PV_MEDIA_ORIGINS],
    # Campaign videos (decisions/0042), from the same places as pictures.
    "media-src": [CSP.SELF, *PV_MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "patientvoice.core.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# --- API ----------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 25
NINJA_PAGINATION_MAX_LIMIT = 100
PV_API_RATE_ANON = env.str("PV_API_RATE_ANON", default="60/m")
PV_API_RATE_USER = env.str("PV_API_RATE_USER", default="300/m")

# --- Logging: one JSON object per line on stdout --------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "patientvoice.core.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR" if TESTING else "WARNING"},
        "django.tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
    },
}
if TESTING:
    LOGGING["root"] = {"handlers": ["stdout"], "level": "WARNING"}

ADMINS: list[tuple[str, str]] = []

# Behind a reverse proxy that sets X-Forwarded-For, how many proxies to trust, so
# rate limits count the real client, not the proxy (docs/deploy.md).
PV_TRUSTED_PROXY_COUNT = env.int("PV_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = PV_TRUSTED_PROXY_COUNT
NINJA_NUM_PROXIES = PV_TRUSTED_PROXY_COUNT
