"""Production settings: no debug pages, secure cookies, a real secret key from the environment."""

from selko.env import ImproperlyConfiguredEnv, env_bool, env_email_backend, env_int
from selko.settings import *  # noqa: F403
from selko.settings import INSECURE_DEV_SECRET_KEY, SECRET_KEY, STORAGES

DEBUG = False
# Invitations go out by SMTP unless told otherwise: the console would only write them into the logs.
EMAIL_BACKEND = env_email_backend("EMAIL_BACKEND", "smtp")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEV_SECRET_KEY or len(SECRET_KEY) < 32:
    raise ImproperlyConfiguredEnv(
        "SECRET_KEY must be set to a random value of at least 32 characters in production"
    )

SESSION_COOKIE_SECURE = env_bool("SELKO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = env_bool("SELKO_SECURE_COOKIES", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# HTTPS only, by default. A deployment behind a proxy that terminates TLS keeps these on and lets the
# proxy send X-Forwarded-Proto; a plain-HTTP trial on localhost turns them off (see docker/compose.yaml).
SECURE_SSL_REDIRECT = env_bool("SELKO_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SELKO_HSTS_SECONDS", 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SELKO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SELKO_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
