"""Serializer fields the whole API shares."""

from typing import Any

from rest_framework import serializers

from selko.ids import MAX_ID


class IdField(serializers.IntegerField):
    """An id in a filter or a body: a whole number from 1 to `selko.ids.MAX_ID`, so that no lookup can
    overflow the database's integers; anything else is a 400 naming the field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
