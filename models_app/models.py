"""Django loads an app's models from this module: each noun's models live in its own subpackage."""

from models_app.annotations.models import Annotation
from models_app.explorer.models import SavedView
from models_app.exports.models import ExportJob, ExportStatus
from models_app.registry.models import (
    ModelSettings,
    ModelVersion,
    ModelVersionStatus,
    Prediction,
    PromotionPolicy,
)
from models_app.summaries.models import DocumentTagCounts
from models_app.taxonomy.models import Label

__all__ = [
    "Annotation",
    "DocumentTagCounts",
    "ExportJob",
    "ExportStatus",
    "Label",
    "ModelSettings",
    "ModelVersion",
    "ModelVersionStatus",
    "Prediction",
    "PromotionPolicy",
    "SavedView",
]
