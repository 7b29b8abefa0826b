"""Selko settings, read from the environment.

With nothing set, Selko runs on embedded defaults: SQLite and media under `var/`, and a Celery broker on
the local filesystem, so one command starts a working instance. `DATABASE_URL`, `CELERY_BROKER_URL` and
`SELKO_STORAGE` switch to PostgreSQL, Redis and S3-compatible storage. Production deployments use
`selko.settings_production`, which turns DEBUG off and insists on a real SECRET_KEY.
"""

from datetime import timedelta
from pathlib import Path

from selko.env import (
    ImproperlyConfiguredEnv,
    broker_url_checked,
    cache_from_url,
    database_from_url,
    env_bool,
    env_choice,
    env_email_backend,
    env_int,
    env_list,
    env_rate,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SELKO_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

# Development default only; settings_production refuses to start with it.
INSECURE_DEV_SECRET_KEY = "selko-insecure-development-key-change-me"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", INSECURE_DEV_SECRET_KEY)
DEBUG = env_bool("SELKO_DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "selko.api",
    "selko.tenancy",
    "selko.audit",
    "selko.accounts",
    "selko.workers",
    "documents",
    "models_app",
    "training",
    "frontend",
    "axes",
]

MIDDLEWARE = [
    # Outermost, so a request's time includes all the others (selko/request_metrics.py).
    "selko.request_metrics.RequestLatencyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # First, so that every line logged while handling the request says which request it was.
    "selko.middleware.LogContextMiddleware",
    "selko.middleware.ContentSecurityPolicyMiddleware",
    # Outside everything below, so it also sees errors Django turned into HTML pages.
    "selko.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "selko.urls"
WSGI_APPLICATION = "selko.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL", "sqlite:///selko.sqlite3"), var_dir=VAR_DIR)
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Rate limits count in the cache: give several web processes a shared one (Redis) so they count together.
CACHES = {"default": cache_from_url(env_str("SELKO_CACHE_URL", "locmem://"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# No inline scripts, <style> elements or style="" attributes anywhere: bars, indents and label colours
# travel in data-* attributes that frontend/static/frontend/styled.js applies through the CSSOM.
SELKO_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SELKO_CONTENT_SECURITY_POLICY_API_DOCS = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

# --- Login lockout (django-axes) --------------------------------------------------------------------
# /login/, /admin/login/ and API tokens: after SELKO_LOGIN_FAILURE_LIMIT failures for one account or from
# one address, that account or address is refused until its failures are SELKO_LOGIN_LOCKOUT_SECONDS old.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SELKO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("SELKO_LOGIN_LOCKOUT_SECONDS", 15 * 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = "selko.accounts.lockout.lockout_parameters"
AXES_LOCKOUT_CALLABLE = "selko.accounts.lockout.lockout_response"
# Behind a TLS proxy (or a load balancer and a proxy), how many of them append to X-Forwarded-For.
SELKO_TRUSTED_PROXY_COUNT = env_int("SELKO_TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "selko.accounts.lockout.client_ip_address"
# A successful login must not wipe an address's failures: an attacker would log into their own account
# between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False

# --- E-mail (invitations) ---------------------------------------------------------------------------
# Printed to the console by default, so a development setup needs no mail server; pytest-django swaps in
# the locmem backend for tests. A deployment sets EMAIL_BACKEND=smtp and the EMAIL_HOST* variables.
EMAIL_BACKEND = env_email_backend("EMAIL_BACKEND", "console")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfiguredEnv("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: choose one")
# Seconds: the admin's request waits for the mail server while an invitation is sent.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Selko <selko@localhost>")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "frontend:project-list"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("SELKO_MEDIA_ROOT", str(VAR_DIR / "media")))

SELKO_STORAGE = env_str("SELKO_STORAGE", "local")
if SELKO_STORAGE == "local":
    _default_storage: dict[str, object] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
elif SELKO_STORAGE == "s3":
    # Workers on other machines share artifacts and uploads through the same bucket.
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("SELKO_S3_BUCKET", "selko"),
            "endpoint_url": env_str("SELKO_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("SELKO_S3_REGION", "") or None,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
else:
    raise ImproperlyConfiguredEnv(f"SELKO_STORAGE={SELKO_STORAGE!r} is not supported: use 'local' or 's3'")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SELKO_MAX_UPLOAD_BYTES = env_int("SELKO_MAX_UPLOAD_BYTES", 100 * 1024 * 1024, minimum=1)
# Up to this many rows an export is written while the browser waits (about a second); beyond, a worker
# writes it and the page offers a download link.
SELKO_EXPORT_SYNC_MAX_ROWS = env_int("SELKO_EXPORT_SYNC_MAX_ROWS", 3000, minimum=1)
# LibreOffice (its soffice command) on the ingest workers reads .doc, .rtf and .odt; empty: those are refused.
SELKO_CONVERTER = env_str("SELKO_CONVERTER", "")
SELKO_CONVERTER_TIMEOUT_SECONDS = env_int("SELKO_CONVERTER_TIMEOUT_SECONDS", 120, minimum=1)
SELKO_CONVERTER_MAX_OUTPUT_BYTES = env_int("SELKO_CONVERTER_MAX_OUTPUT_BYTES", 256 * 1024 * 1024, minimum=1)
# Django spools larger uploads to disk instead of memory; the upload limit itself is SELKO_MAX_UPLOAD_BYTES.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

# --- Celery -----------------------------------------------------------------------------------------
# The embedded broker's folder: every process on the host that shares a broker names the same one.
CELERY_FILESYSTEM_BROKER_DIR = Path(env_str("SELKO_FILESYSTEM_BROKER_DIR", str(VAR_DIR / "celery-broker")))
CELERY_BROKER_URL = broker_url_checked(env_str("CELERY_BROKER_URL", "filesystem://"))
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Longer than the longest training run, so Redis never redelivers a job that is still running.
CELERY_VISIBILITY_TIMEOUT_SECONDS = env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 12 * 3600, minimum=60)
CELERY_MAX_REDELIVERIES = env_int("CELERY_MAX_REDELIVERIES", 2, minimum=0)
# A running training touches its heartbeat this often; one silent for SELKO_JOB_STALE_SECONDS is taken
# for dead (worker killed, machine gone), requeued up to CELERY_MAX_REDELIVERIES times, then failed.
SELKO_JOB_HEARTBEAT_SECONDS = env_int("SELKO_JOB_HEARTBEAT_SECONDS", 5, minimum=1)
SELKO_JOB_STALE_SECONDS = env_int("SELKO_JOB_STALE_SECONDS", 60, minimum=2)
SELKO_JOB_SWEEP_SECONDS = env_int("SELKO_JOB_SWEEP_SECONDS", 30, minimum=1)
# A worker with nothing to do for this long exits 0, so an on-demand GPU machine can stop (0: never).
SELKO_WORKER_IDLE_EXIT_SECONDS = env_int("SELKO_WORKER_IDLE_EXIT_SECONDS", 0, minimum=0)
# Each worker writes its row this often; a row older than SELKO_WORKER_STALE_SECONDS is a vanished worker.
SELKO_WORKER_HEARTBEAT_SECONDS = env_int("SELKO_WORKER_HEARTBEAT_SECONDS", 10, minimum=1)
SELKO_WORKER_STALE_SECONDS = env_int("SELKO_WORKER_STALE_SECONDS", 30, minimum=2)
# The bearer token Prometheus sends to GET /metrics; unset, the endpoint answers 404.
SELKO_METRICS_TOKEN = env_str("SELKO_METRICS_TOKEN", "")

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "selko.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "selko.api.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "selko.api.errors.api_exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["selko.api.throttling.ScopedWriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "uploads": env_rate("SELKO_UPLOAD_RATE", "60/hour"),
        # Each invitation to an address sends an e-mail: the API must not become a way to send mail.
        "invitations": env_rate("SELKO_INVITATION_RATE", "60/hour"),
    },
    "NUM_PROXIES": SELKO_TRUSTED_PROXY_COUNT or None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Selko API",
    "DESCRIPTION": "Requirement documents in, tagged requirements out.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and Redoc assets come from the sidecar package, so the docs work offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "selko.api.schema.add_error_responses",
    ],
    # Four models have a `status`: each enum keeps its own name instead of a numbered one.
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "documents.models.DocumentStatus",
        "ExportStatusEnum": "models_app.exports.models.ExportStatus",
        "ModelVersionStatusEnum": "models_app.registry.models.ModelVersionStatus",
        "TrainingJobStatusEnum": "training.models.JobStatus",
    },
}

# --- ML ---------------------------------------------------------------------------------------------
SELKO_BASE_MODEL = env_str("SELKO_BASE_MODEL", "")
SELKO_MIN_EXAMPLES_PER_LABEL = env_int("SELKO_MIN_EXAMPLES_PER_LABEL", 5, minimum=1)
# Hyperparameters a deployment may pin (e.g. fewer epochs on slow CPUs); 0 means "let the trainer choose".
SELKO_TRAIN_EPOCHS = env_int("SELKO_TRAIN_EPOCHS", 0, minimum=0)
SELKO_TRAIN_SEED = env_int("SELKO_TRAIN_SEED", 0, minimum=0)
# How CPU workers score: "auto" uses the ONNX export of a model when it has one (same scores, ~3x
# faster than PyTorch), "torch" always PyTorch, "onnx" refuses models without an export.
SELKO_INFERENCE_RUNTIME = env_choice("SELKO_INFERENCE_RUNTIME", "auto", ("auto", "torch", "onnx"))
# How the ingest picks a summary's sentences: "encoder" by coverage in the base encoder's embedding
# space (SELKO_BASE_MODEL), "tfidf" by word overlap only (no model to load: small machines, tests).
SELKO_SUMMARY_METHOD = env_choice("SELKO_SUMMARY_METHOD", "encoder", ("encoder", "tfidf"))
# At most this many sentences of one document are embedded for its summary (an evenly spaced sample
# beyond it): a CPU worker embeds a few hundred a second, and a 50,000-row import must not spend
# minutes on its gist.
SELKO_SUMMARY_MAX_EMBEDDED = env_int("SELKO_SUMMARY_MAX_EMBEDDED", 3000, minimum=1)

# "json": one JSON object per line and event, with the task, job, project, document or model version it
# is about (selko/logs.py), for a log collector; "plain": lines for people.
SELKO_LOG_FORMAT = env_choice("SELKO_LOG_FORMAT", "plain", ("plain", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "selko.logs.json_formatter"},
    },
    "filters": {"context": {"()": "selko.logs.LogContextFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": SELKO_LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("SELKO_LOG_LEVEL", "INFO")},
    # axes logs every login at INFO; its warnings (failures, lockouts) are the part worth keeping.
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
