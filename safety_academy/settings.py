"""Settings for Safety Academy: one file, driven by the environment, with embedded defaults.

Unset variables give the embedded default (SQLite, eager Celery, console email) so that
`make run` works on a bare machine; see `.env.example` for every variable.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from safety_academy.env import env_bool, env_list, read_env_file

BASE_DIR = Path(__file__).resolve().parent.parent


# pytest sets PYTEST_VERSION before settings load; tests run with debug off but over plain HTTP.
TESTING = "PYTEST_VERSION" in os.environ


# DJANGO_ENV_FILE names another file, or none when empty; the test run never reads one.
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and not TESTING:
    read_env_file(Path(ENV_FILE))

DEBUG = env_bool("DJANGO_DEBUG", False)
PRODUCTION = not DEBUG and not TESTING

DEVELOPMENT_SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if PRODUCTION and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: the development key is refused when debug is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Absolute base for links that leave the site (certificate QR codes, emails, credentials, exports).
# `make run HOST=… PORT=…` sets it to the address it serves, so links follow the server.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Safety Academy")
# How many proxies in front of the site append to X-Forwarded-For (0: none, the header is ignored).
# The client's address for rate limits and logs comes from it (safety_academy/client_ip.py), and so
# does whether X-Forwarded-Proto is believed.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "courses",
    "quizzes",
    "progress",
]

MIDDLEWARE = [
    "safety_academy.middleware.RejectNulBytesMiddleware",
    "safety_academy.client_ip.ClientIpMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safety_academy.middleware.PageMethodsMiddleware",
    "safety_academy.visitor_pages.VisitorPageCacheMiddleware",  # before sessions: a visitor's hit skips them
    "django.contrib.sessions.middleware.SessionMiddleware",
    "safety_academy.learner_pages.LearnerPageCacheMiddleware",  # after sessions: a learner's hit skips the rest
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "safety_academy.middleware.StaffMfaMiddleware",
    "safety_academy.middleware.ResponseHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "safety_academy.urls"
WSGI_APPLICATION = "safety_academy.wsgi.application"
ASGI_APPLICATION = "safety_academy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "builtins": ["safety_academy.template_builtins"],  # url and static, remembered
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safety_academy.context_processors.site",
                "progress.context_processors.person",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            # Concurrent requests on the embedded default wait for the write lock instead of failing.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The cache holds rate-limit counters; production may give it a Redis of its own, apart from the broker.
CACHE_URL = os.environ.get("CACHE_URL", "") or REDIS_URL
if CACHE_URL:
    CACHES = {
        "default": {
            # Fails open (logging an error) when Redis is unreachable: see safety_academy/cache.py.
            "BACKEND": "safety_academy.cache.FailOpenRedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# How long a learner's own pages are kept for them in the shared cache (safety_academy/learner_pages.py); 0: never.
LEARNER_PAGE_SECONDS = int(os.environ.get("LEARNER_PAGE_SECONDS") or 300)

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A web request never waits on a broker that is down: fail fast, the periodic sweep catches up.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 1,
    "socket_timeout": 5,
    "max_retries": 0,
    # An unacknowledged task (its worker died) is handed to another worker after this long.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
    # Look for such abandoned tasks every 10 s (kombu's default throttling makes it ~100 s).
    "unacked_restore_interval": int(os.environ.get("CELERY_UNACKED_RESTORE_INTERVAL", "10")),
    "unacked_restore_throttle": 1,
}
CELERY_BEAT_SCHEDULE = {
    "certificates-sweep": {"task": "progress.tasks.sweep_missing_certificates", "schedule": 300.0},
    "assignment-reminders": {"task": "progress.tasks.send_assignment_reminders", "schedule": 3600.0 * 24},
    # Hourly: a person already emailed today is tried again on a later run (the next day's at the latest).
    "certificate-expiry-reminders": {"task": "progress.tasks.send_expiry_reminders", "schedule": 3600.0},
}

# --- Auth: django-allauth ------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [  # Django's and allauth's, remembering the signed-in account (see the module)
    "safety_academy.auth_backends.ModelBackend",
    "safety_academy.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "progress:me"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_FORMS = {"signup": "progress.forms.SignupForm"}
ACCOUNT_ADAPTER = "progress.accounts.AccountAdapter"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
# Confirming the address (in the browser that signed up) logs the person in and takes them on to
# where they were going, e.g. the team invitation they followed.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Multi-factor authentication (allauth.mfa): offered to everyone, required of staff before the admin.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# A phone's clock may be a step (30 s) off either way; a used code is still refused a second time.
MFA_TOTP_TOLERANCE = 1
# WebAuthn needs a secure origin; `make run` serves plain HTTP on localhost.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# --- Email -------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = 10
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Safety Academy <no-reply@safety-academy.localhost>")

# --- API: Django REST framework and drf-spectacular ----------------------------------------
REST_FRAMEWORK = {
    # Token first, so an unauthenticated call gets a 401 with WWW-Authenticate rather than a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "safety_academy.api_support.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "safety_academy.api_guards.AnonRateThrottle",
        "safety_academy.api_guards.UserRateThrottle",
    ],
    # DRF's own reading of X-Forwarded-For follows the same setting (the throttles above use client_ip).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PARSER_CLASSES": [
        "safety_academy.api_guards.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "safety_academy.api_support.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Safety Academy API",
    "DESCRIPTION": "The catalogue, a learner's progress, quizzes, certificates and team progress.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CertificateStatusEnum": "progress.models.Certificate.Status",
        "DashboardCellStatusEnum": "progress.models.CellState",
    },
}

# Search costs the database more than it costs the caller: so many searches per client address.
SEARCH_RATE_LIMIT = os.environ.get("SEARCH_RATE_LIMIT", "30/m")

# --- Security ----------------------------------------------------------------------------
# Sessions are read from the cache (Redis in production) and written through to the database, which stays
# the record: a request saves the query, and a cache outage (it fails open) falls back to the table.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the CSRF token from the page, not the cookie
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Browser features the site never uses are switched off; WebAuthn (security keys) stays on for MFA.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), bluetooth=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "hid=(), magnetometer=(), microphone=(), midi=(), payment=(), serial=(), usb=(), xr-spatial-tracking=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)
# Believe X-Forwarded-Proto only from a proxy we were told about.
if TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # Health checks come from inside the network over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Only the site's own origin, everywhere: no inline script, no outside asset.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Internationalisation, static and media -----------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    # Certificates are written here; point it at object storage (django-storages) by settings alone.
    "default": {"BACKEND": os.environ.get("DJANGO_DEFAULT_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Object storage (django-storages, the `s3` extra): DJANGO_DEFAULT_STORAGE=storages.backends.s3.S3Storage
# with these options; credentials come from the usual AWS_* variables boto3 reads.
_object_storage_options = {
    key: value
    for key, value in {
        "bucket_name": os.environ.get("STORAGE_BUCKET_NAME"),
        "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL"),
        "region_name": os.environ.get("STORAGE_REGION_NAME"),
    }.items()
    if value
}
if _object_storage_options:
    STORAGES["default"]["OPTIONS"] = {**_object_storage_options, "default_acl": "private", "querystring_auth": True}
WHITENOISE_USE_FINDERS = not PRODUCTION

# --- Certificates --------------------------------------------------------------------------
# The active Ed25519 key that signs credentials: a PEM in the environment, or a file that
# `manage.py generate_signing_key` writes (and `rotate_signing_key` replaces).
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_KEY_FILE = Path(
    os.environ.get("CERTIFICATE_SIGNING_KEY_FILE", BASE_DIR / "var" / "certificate-signing-key.pem")
)
# Retired keys, published for verification only: public-key PEMs in this directory (default:
# `retired-keys/` beside the key file) and/or in the environment. See docs/certificate-keys.md.
CERTIFICATE_RETIRED_KEYS_DIR = os.environ.get("CERTIFICATE_RETIRED_KEYS_DIR", "")
CERTIFICATE_RETIRED_KEYS = os.environ.get("CERTIFICATE_RETIRED_KEYS", "")
CERTIFICATE_ISSUER_NAME = os.environ.get("CERTIFICATE_ISSUER_NAME", SITE_NAME)
# The issuer's LinkedIn organisation id, if it has a page: "add to profile" then links to it by id, else by name.
LINKEDIN_ORGANIZATION_ID = os.environ.get("LINKEDIN_ORGANIZATION_ID", "")
CERTIFICATE_RETRY_BACKOFF_MAX = 600
# Months a topic certificate stays valid unless its topic says otherwise (`validity_months`, 0 = never);
# empty or 0: certificates never expire. Each certificate keeps the date it was issued with.
CERTIFICATE_VALIDITY_MONTHS = int(os.environ.get("CERTIFICATE_VALIDITY_MONTHS") or 0) or None
# Days before expiry from which a holder may renew (the quiz opens again), and after it.
RENEWAL_WINDOW_DAYS = int(os.environ.get("RENEWAL_WINDOW_DAYS") or 60)
# Days before expiry at which the holder is reminded, each once (within the one-email-a-day rule).
CERTIFICATE_EXPIRY_REMINDER_DAYS = (60, 30, 7)

# --- Teams ---------------------------------------------------------------------------------
TEAM_INVITATION_TTL = timedelta(days=int(os.environ.get("TEAM_INVITATION_DAYS", "14")))
ASSIGNMENT_REMINDER_WINDOW_DAYS = 7

# One line per request with the client's address, for deployments that turn gunicorn's access log off.
ACCESS_LOG = env_bool("DJANGO_ACCESS_LOG", False)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_ip": {"()": "safety_academy.client_ip.ClientIpLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(client_ip)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_ip"], "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

TRACK_PATH = BASE_DIR / "fixtures" / "track"
