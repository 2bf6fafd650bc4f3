"""Settings for Uppföljning.

One module, driven by environment variables. ``DJANGO_ENV`` picks the mode:

* ``development`` (the default): works out of the box on SQLite with a
  development-only secret key, DEBUG on and localhost as the only host.
* ``production``: nothing is assumed. ``DJANGO_SECRET_KEY``,
  ``DJANGO_ALLOWED_HOSTS`` and ``DATABASE_URL`` must be set, or start-up fails
  with a message naming the missing variable. HTTPS-only cookies and HSTS are on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable, or ``default``; fail loudly when neither exists."""
    value = os.environ.get(name, default)
    if value is None or value == "":
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_list(name: str, default: str | None = None) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("DJANGO_ENV must be 'development' or 'production'.")
PRODUCTION = ENVIRONMENT == "production"

if PRODUCTION:
    SECRET_KEY = env_str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL"), conn_max_age=60, conn_health_checks=True
        )
    }
    DEBUG = env_bool("DJANGO_DEBUG", False)
else:
    # A development-only key: production mode refuses to start without its own.
    SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-development-only-key"
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
        )
    }
    DEBUG = env_bool("DJANGO_DEBUG", True)

CSRF_TRUSTED_ORIGINS = [
    origin for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if origin
]

INSTALLED_APPS = [
    # Django's admin, opened only to admins (roles.may_use_admin).
    "auditfollowup.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.syndication",
    "django.contrib.postgres",
    "django_filters",
    "simple_history",
    "auditfollowup.admin_site.AxesConfig",
    "csp",
    "corsheaders",
    "recommendations",
    # Before responses: the role groups are set up after responses migrates, and need
    # this app's permissions to exist by then (recommendations/role_groups.py).
    "notifications",
    "responses",
    "reports",
    "dataimport",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that may answer (CommonMiddleware), so preflights are answered here.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "auditfollowup.middleware.ChosenLanguageMiddleware",
    "auditfollowup.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CsrfViewMiddleware, which reads the body: refuses an oversized one unread.
    "auditfollowup.uploads.UploadSizeLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditfollowup.middleware.PrivateCacheForLoggedInMiddleware",
    "auditfollowup.middleware.SlidingSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditfollowup.middleware.AdminInlineStylesMiddleware",
    # Inside the security and CSP middleware, so cached pages still get this request's
    # headers; after authentication, which it needs to recognise anonymous visitors.
    "auditfollowup.page_cache.AnonymousPageCacheMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires, so it sees the outcome of every login.
    "axes.middleware.AxesMiddleware",
]

# The cache shared by every app server: Redis when REDIS_URL is set (e.g.
# redis://127.0.0.1:6379/0), else each process's own memory (development, no Redis needed).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "uppfoljning",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole pages for anonymous visitors (auditfollowup/page_cache.py); 0 turns it off.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env_int("UF_PAGE_CACHE_SECONDS", 600)
PAGE_CACHE_MAX_BYTES = env_int("UF_PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024)

# The benchmark (bench/run_benchmark.py) only: a Server-Timing header on every response and
# a trivial view to compare against. Never set in normal production.
BENCHMARK = env_bool("UF_BENCHMARK", False)
if BENCHMARK:
    MIDDLEWARE.insert(0, "auditfollowup.benchmarking.ServerTimingMiddleware")

ROOT_URLCONF = "auditfollowup.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "auditfollowup.context_processors.content_language",
                "auditfollowup.context_processors.site_url",
            ],
            # Template tags no app owns: the form field markup every app's templates use, how
            # dates and numbers read.
            "libraries": {
                "form_tags": "auditfollowup.lib.form_tags",
                "inference_tags": "auditfollowup.lib.inference_tags",
                "content_tags": "auditfollowup.lib.content_tags",
                "date_tags": "auditfollowup.lib.date_tags",
                "number_tags": "auditfollowup.lib.number_tags",
            },
        },
    },
]

# The language of the documents and what boards and auditors write (the interface has
# English too, the content does not): marked on that text in every page.
CONTENT_LANGUAGE = "sv"

# Django's widget templates for inputs, text areas and selects, rendered in Python (the
# same HTML, a fraction of the time: see auditfollowup/lib/form_rendering.py).
FORM_RENDERER = "auditfollowup.lib.form_rendering.FormRenderer"

WSGI_APPLICATION = "auditfollowup.wsgi.application"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "auditfollowup.passwords.CommonSwedishPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Login throttling (django-axes): five failures lock the username+IP pair for an hour.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's real address (django-ipware). Behind a reverse proxy that sets
# X-Forwarded-For, set AXES_PROXY_COUNT to the number of proxies and, ideally, their
# address prefixes in AXES_TRUSTED_PROXIES: otherwise every user shares the proxy's
# address, or a client could claim any address by sending the header itself.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
AXES_IPWARE_PROXY_TRUSTED_IPS = [
    ip.strip() for ip in os.environ.get("AXES_TRUSTED_PROXIES", "").split(",") if ip.strip()
] or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded decision documents live outside the static files and are only
# served through a view that checks who may see the response.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = None
# Upload limits, refused from the request's Content-Length before the body is read
# (auditfollowup/uploads.py); the web server in front should enforce the largest too.
MAX_ATTACHMENT_BYTES = env_int("MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
MAX_FIXTURE_BYTES = env_int("MAX_FIXTURE_BYTES", 50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# E-mail (notifications/, password reset). Production sends through SMTP; development
# prints mails to the console unless DJANGO_EMAIL_BACKEND says otherwise (for example
# django.core.mail.backends.filebased.EmailBackend with DJANGO_EMAIL_FILE_PATH).
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH") or BASE_DIR / "sent-mail"
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL") or "uppfoljning@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in mails and calendars are absolute: the address people reach the site at.
SITE_URL = (
    os.environ.get("DJANGO_SITE_URL")
    or (f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION else "http://127.0.0.1:8000")
).rstrip("/")
# A reminder whose day was missed (cron not running, a first deployment over old data)
# is still sent this many days late; older ones are not, so nobody gets years of
# reminders at once. Two weeks also covers a weekly choice.
NOTIFICATIONS_CATCH_UP_DAYS = env_int("NOTIFICATIONS_CATCH_UP_DAYS", 14)

# Where the accessibility statement tells people to report problems.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("DJANGO_ACCESSIBILITY_EMAIL") or "malmo.stad@malmo.se"
ACCESSIBILITY_CONTACT_PHONE = os.environ.get("DJANGO_ACCESSIBILITY_PHONE") or "040-34 10 00"
# The contact point of the open data in the DCAT-AP-SE catalogue (/datasets/dcat).
OPEN_DATA_CONTACT_EMAIL = os.environ.get("DJANGO_OPEN_DATA_EMAIL") or ACCESSIBILITY_CONTACT_EMAIL

# Security headers, on everywhere; the HTTPS-only ones in production.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Django's database sessions, refusing a session cookie Django could not have set.
SESSION_ENGINE = "auditfollowup.sessions"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The language switch's cookie: no script reads it, and it is sent only to our own pages.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
# Logged-in sessions end after a working day without activity (auditfollowup/middleware.py,
# SlidingSessionMiddleware, extends them at most every SESSION_REFRESH_SECONDS).
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_IDLE_SECONDS", 8 * 60 * 60)
SESSION_REFRESH_SECONDS = 5 * 60
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Content-Security-Policy (django-csp): everything from our own origin, no inline
# script or style, no framing. The one exception: inline styles (not scripts) on the
# Django admin's pages, whose bundled widgets need them (auditfollowup/middleware.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Read-only CORS (django-cors-headers) on the open data only: the JSON API and its
# description, the exports and their Table Schemas, the feed and the DCAT catalogue, so any
# web page may read them. Never with credentials, so a logged-in visitor's cookies are never
# sent along and what a cross-site page reads is what the public may read. Never on the
# pages for people (logins, forms, staff and auditor pages), which the regex does not match.
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# The national addresses and the same beneath a municipality's slug (/<slug>/api/...):
# the municipalities' DCAT catalogues list the latter as their distributions.
CORS_URLS_REGEX = (
    r"^/([-a-zA-Z0-9_]+/)?(api/(openapi\.json|rekommendationer/)"
    r"|(rekommendationer|matris)/export\.(csv|xlsx|schema\.json)"
    r"|rekommendationer/export-(atgarder|tidslinje)\.schema\.json"
    r"|flode/"
    r"|datasets/dcat)"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
