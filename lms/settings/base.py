"""Settings shared by every environment. Values come from environment variables."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("LMS_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_positive_int(name: str, default: int) -> int:
    """A whole number > 0 from the environment; a typo stops start-up with a plain message."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ImproperlyConfigured(f"{name} must be a whole number greater than 0, not {raw!r}.")
    return value


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-insecure-key-change-me")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "core",
    "organizations",
    "accounts",
    "courses",
    "training",
    "certificates",
    "surveys",
    "notifications",
    "demo",
    "api",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.apps.UsersConfig",  # wagtail.users, with its user list sorted the Vietnamese way
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lms.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files come pre-compressed), before anything that writes the body.
    "lms.middleware.CompressTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.SiteLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireStaffTwoFactorMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# --- Content-Security-Policy (django-csp) -----------------------------------------------
# The site's own pages run only the scripts and styles served from static/: no inline script
# (a template that must have one gives it nonce="{{ request.csp_nonce }}"), no style attribute,
# nothing from another origin, and no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "media-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# The Wagtail admin (its URLs start with these) writes inline scripts and style attributes of
# its own, and frames its page previews: it gets this looser policy (lms.middleware).
LMS_ADMIN_CSP_PREFIXES = ("/admin/",)
LMS_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
    }
}

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.navigation",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the Celery worker use the file at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django turns psycopg's prepared statements off. Its own queries are bound on the client and
    # never prepared either way; this lets core.compiled prepare the statement every request runs
    # (the account facts), planned once per connection instead of once per request. Behind
    # PgBouncer in transaction mode, use PgBouncer 1.21 or later with max_prepared_statements set.
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages: Vietnamese first, English second -------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# locale/vendor holds Vietnamese for third-party apps that ship none (django-allauth).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["lms.formats"]
# The admin's date pickers show and read dates day first, as the rest of the site does
# (Wagtail's default is yyyy-mm-dd); lms.formats accepts these in both languages.
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
# Page addresses in plain ASCII ("chup-anh-bang-dien-thoai", not "ch%E1%BB%A5p-…"), easy to paste
# into Zalo; core.pages transliterates Vietnamese (đ → d) where Wagtail alone would drop letters.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# --- Static and media -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Private files (certificate PDFs, exports, uploads) are never served by URL.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
# Audit exports and certificate ZIPs are deleted this many days after they were built (a daily
# task); their pages then say the file has expired and offer to make a new one.
GENERATED_FILE_RETENTION_DAYS = env_positive_int("GENERATED_FILE_RETENTION_DAYS", 7)
# The Ed25519 keys that sign certificates' Open Badges credentials (docs/operators.md): private
# keys, mode 600, outside the repository; `manage.py credential_keys create|rotate|list`. Only
# `make run` and the tests let the first signature create a key by itself.
CREDENTIAL_KEYS_DIR = Path(os.environ.get("CREDENTIAL_KEYS_DIR", VAR_DIR / "credential-keys"))
CREDENTIAL_KEYS_AUTO_CREATE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail ----------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Huấn luyện Công đoàn"
# Signing in, out and passwords are allauth's (rate limits, two-factor); Wagtail's own are off.
WAGTAILADMIN_LOGIN_URL = "admin_login"  # lms.views.admin_login: the sign-in, or a 403
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
# E-mail changes go through /accounts/email/ (confirmed by a link, kept in step with allauth's
# addresses); the admin's account page would change the address unchecked.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "mp4", "webm"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]

# --- Accounts (django-allauth) -----------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# Sign in with the e-mail address or the roster's phone number (accounts.adapters keeps the number
# on the officer). Sign-up asks no phone: the number comes from the roster, verified by whoever
# entered it, so allauth's phone verification by SMS never starts.
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Huấn luyện Công đoàn] "
ACCOUNT_EMAIL_NOTIFICATIONS = True  # "your password was changed", "two-factor turned on"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "change_email": "1/m/user",
}
# Sign-up is closed: accounts come from the roster or an invitation.
LMS_OPEN_SIGNUP = os.environ.get("LMS_OPEN_SIGNUP", "") == "1"

# Rate limits (sign-in, certificate verification) count in Django's cache. Each process has its
# own unless CACHE_URL names a shared Redis (e.g. redis://127.0.0.1:6379/1), as it should when
# several web processes run.
CACHE_URL = os.environ.get("CACHE_URL", "").strip()
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis://, rediss:// or unix:// address, not {CACHE_URL!r}."
        )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}

# Behind a reverse proxy REMOTE_ADDR is the proxy. Name the header your proxy sets to the client's
# address (nginx: X-Real-IP), or how many proxies you run that append to X-Forwarded-For, so that
# per-client limits count clients. Never set these without a proxy that overwrites the header.
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER", "").strip() or None
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)

# Roster import: the largest upload accepted, and the size above which a file is checked and
# imported by a Celery worker (with a progress bar) instead of inside the request.
ROSTER_IMPORT_MAX_BYTES = env_positive_int("ROSTER_IMPORT_MAX_MB", 20) * 1024 * 1024
ROSTER_IMPORT_SYNC_BYTES = env_positive_int("ROSTER_IMPORT_SYNC_KB", 256) * 1024

# The REST API (/api/v1/, api app): requests per minute per access token (counted in the cache,
# so set CACHE_URL when several web processes run), the largest request body, the most rows a
# page of a list may ask for, and the longest a new token may live.
API_RATE_LIMIT_PER_MINUTE = env_positive_int("API_RATE_LIMIT_PER_MINUTE", 120)
API_MAX_BODY_BYTES = env_positive_int("API_MAX_BODY_KB", 1024) * 1024
API_MAX_PAGE_SIZE = 200
API_TOKEN_MAX_DAYS = env_positive_int("API_TOKEN_MAX_DAYS", 365)
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Huấn luyện Công đoàn"
# A code typed as the app turns to the next one (or with the phone's clock a little off) is
# still accepted: one 30-second step either side.
MFA_TOTP_TOLERANCE = 1
MFA_FORMS = {
    "authenticate": "accounts.mfa.AuthenticateForm",
    "reauthenticate": "accounts.mfa.ReauthenticateForm",
}
# Staff and auditors must have TOTP; turned off only by tests that do not cover MFA.
LMS_REQUIRE_STAFF_MFA = True

# --- E-mail -----------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Huấn luyện Công đoàn <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Notifications: e-mail, SMS, Zalo ZNS (docs/operators.md, "Messages") ---------------
# Channels tried in this order for an officer without a preferred channel; a channel that is not
# configured, or for which the officer has no address, is skipped.
NOTIFY_CHANNEL_ORDER = env_list("NOTIFY_CHANNEL_ORDER", "zalo,sms,email")
# SMS and Zalo with no provider configured print to the worker's log (``make run`` sets it).
NOTIFY_CONSOLE = os.environ.get("NOTIFY_CONSOLE", "") == "1"
NOTIFY_HTTP_TIMEOUT = env_positive_int("NOTIFY_HTTP_TIMEOUT", 10)
NOTIFY_MAX_ATTEMPTS = env_positive_int("NOTIFY_MAX_ATTEMPTS", 8)
NOTIFY_RETRY_BACKOFF_SECONDS = env_positive_int("NOTIFY_RETRY_BACKOFF_SECONDS", 30)
NOTIFY_RETRY_BACKOFF_MAX_SECONDS = env_positive_int("NOTIFY_RETRY_BACKOFF_MAX_SECONDS", 3600)
# Fernet keys for the providers' tokens at rest, newest first; empty: derived from SECRET_KEY.
NOTIFY_ENCRYPTION_KEYS = env_list("NOTIFY_ENCRYPTION_KEYS")
NOTIFY_SITE_NAME = os.environ.get("NOTIFY_SITE_NAME", "HLCD")  # the short name SMS texts begin with


def _templates(prefix: str) -> dict[str, str]:
    """SMS_TEMPLATE_REMINDER=… → {"reminder": "…"}: one per message kind."""
    return {k[len(prefix) :].lower(): v for k, v in os.environ.items() if k.startswith(prefix) and v.strip()}


NOTIFY_SMS = {
    # An eSMS.vn-shaped gateway (SendMultipleMessage_V4_post_json); empty URL: SMS is off.
    "url": os.environ.get("SMS_URL", "").strip(),
    "api_key": os.environ.get("SMS_API_KEY", ""),
    "secret_key": os.environ.get("SMS_SECRET_KEY", ""),
    "brandname": os.environ.get("SMS_BRANDNAME", ""),
    "sms_type": os.environ.get("SMS_TYPE", "2"),  # eSMS: 2 = customer care (brand name)
    "unaccented": os.environ.get("SMS_UNACCENTED", "1") == "1",
    "sandbox": os.environ.get("SMS_SANDBOX", "") == "1",
    "success_codes": env_list("SMS_SUCCESS_CODES", "100"),
    "duplicate_codes": env_list("SMS_DUPLICATE_CODES", "124"),
    "permanent_codes": env_list("SMS_PERMANENT_CODES", "99,101,102,104,108,118,140,146,177"),
    "templates": _templates("SMS_TEMPLATE_"),
    # The secret path segment of the delivery-report URL sent as eSMS's CallbackUrl
    # (/notifications/callbacks/sms/<secret>/); empty: no reports asked for, the endpoint refuses all.
    "callback_secret": os.environ.get("SMS_CALLBACK_SECRET", "").strip(),
}
NOTIFY_ZALO = {
    "app_id": os.environ.get("ZALO_APP_ID", "").strip(),
    "secret_key": os.environ.get("ZALO_SECRET_KEY", ""),
    # Only the first use reads these; afterwards the tokens live encrypted in the database.
    "access_token": os.environ.get("ZALO_ACCESS_TOKEN", ""),
    "refresh_token": os.environ.get("ZALO_REFRESH_TOKEN", ""),
    "api_url": os.environ.get("ZALO_API_URL", "https://business.openapi.zalo.me/message/template"),
    "oauth_url": os.environ.get("ZALO_OAUTH_URL", "https://oauth.zaloapp.com/v4/oa/access_token"),
    "permanent_codes": [
        int(c) for c in env_list("ZALO_PERMANENT_CODES", "-108,-109,-111,-112,-117,-118,-119,-131,-139")
    ],
    "templates": _templates("ZALO_TEMPLATE_"),
    # The official account's secret key (not the app's): it signs the OA webhook's delivery
    # events (X-ZEvent-Signature); empty: /notifications/callbacks/zns/ refuses every event.
    "oa_secret_key": os.environ.get("ZALO_OA_SECRET_KEY", ""),
}

# --- Celery -----------------------------------------------------------------------
# Without CELERY_BROKER_URL the broker (and the result backend) is the local redis-server that
# `make run` starts on a unix socket, with its append-only file under var/redis, so a queued
# task survives a restart of the machine. In production name your Redis or RabbitMQ.
REDIS_DIR = VAR_DIR / "redis"
REDIS_SOCKET = REDIS_DIR / "redis.sock"
EMBEDDED_BROKER_URL = f"redis+socket://{REDIS_SOCKET}"
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "").strip() or EMBEDDED_BROKER_URL
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "").strip() or CELERY_BROKER_URL
# Redis hands a message fetched but never acknowledged (its worker was killed) to another worker
# only after this many seconds. It must exceed the longest task and the longest retry countdown
# (10 min), or a task still running would be delivered a second time; 2 hours is far above both.
# A task lost to a killed worker does not wait for it: the job sweeps below re-send it within a
# minute, and every task is safe to receive twice.
BROKER_VISIBILITY_TIMEOUT = env_positive_int("BROKER_VISIBILITY_TIMEOUT", 2 * 60 * 60)
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": BROKER_VISIBILITY_TIMEOUT}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A safety net under the certificate renders (WeasyPrint allocates a lot per page): a worker
# process is replaced after this many tasks, or after a task that left it above this many KiB
# resident. Measured growth is small (bench/README.md), so neither should trigger in normal work.
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_positive_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 5000)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_positive_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 512 * 1024)
CELERY_TASK_ALWAYS_EAGER = False
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# Long jobs (certificate ZIPs, audit exports, roster imports) write a heartbeat on their row
# every JOB_HEARTBEAT_SECONDS while they run. A job whose heartbeat is older than
# JOB_STALE_SECONDS lost its worker: a beat task, every JOB_SWEEP_SECONDS, starts it again.
JOB_HEARTBEAT_SECONDS = env_positive_int("JOB_HEARTBEAT_SECONDS", 15)
JOB_STALE_SECONDS = env_positive_int("JOB_STALE_SECONDS", 60)
JOB_SWEEP_SECONDS = env_positive_int("JOB_SWEEP_SECONDS", 60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
