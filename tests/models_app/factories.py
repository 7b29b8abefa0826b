"""Factories for documents, requirements, labels and model versions, written straight to the database so
labeling tests do not depend on ingestion."""

import factory

from documents.models import Document, DocumentStatus, Requirement
from models_app.registry.models import ModelVersion, Prediction
from models_app.taxonomy.models import Label
from tests.factories import ProjectFactory


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Specification {n}.pdf")
    kind = "pdf"
    status = DocumentStatus.PARSED


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    document = factory.SubFactory(DocumentFactory)
    project = factory.LazyAttribute(lambda r: r.document.project)
    order = factory.Sequence(lambda n: n)
    text = factory.Sequence(lambda n: f"The system shall do thing number {n}.")
    external_id = factory.Sequence(lambda n: f"REQ-{n:03d}")
    section_path = factory.LazyFunction(lambda: ["1 General"])
    section_key = factory.LazyAttribute(lambda r: " > ".join(r.section_path))
    page = 1


class LabelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Label

    project = factory.SubFactory(ProjectFactory)
    parent = None
    name = factory.Sequence(lambda n: f"Label {n}")
    order = factory.Sequence(lambda n: n)


class ModelVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelVersion

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    is_active = True
    artifact_path = factory.Sequence(lambda n: f"models/test/v{n}")


class PredictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prediction

    model_version = factory.SubFactory(ModelVersionFactory)
    project = factory.LazyAttribute(lambda p: p.model_version.project)
    requirement = factory.SubFactory(RequirementFactory)
    label = factory.SubFactory(LabelFactory)
    score = 0.5
    predicted = factory.LazyAttribute(lambda p: p.score >= 0.5)
