"""The explorer's tests share one small project: two documents, two labels, an active model."""

from tests.models_app.explorer.test_api_explorer import world  # noqa: F401
