"""gunicorn's settings (`gunicorn -c python:selko.gunicorn_conf`): its own log lines (start, worker boot
and timeout) in the format of Django's, so `SELKO_LOG_FORMAT=json` makes the whole web process JSON."""

from selko.env import env_choice

if env_choice("SELKO_LOG_FORMAT", "plain", ("plain", "json")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "selko.logs.json_formatter"}},
        "filters": {"context": {"()": "selko.logs.LogContextFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "filters": ["context"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["console"], "propagate": False},
        },
    }
