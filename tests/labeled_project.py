"""A project with a small label tree and enough labeled requirements to train on."""

from dataclasses import dataclass

from documents.models import Document, Requirement
from models_app.annotations.models import Annotation
from models_app.taxonomy.models import Label
from selko.tenancy.models import Project

TOPICS = {
    "Braking": "The brake controller shall apply the emergency brake within {n} ms.",
    "Power": "The power supply shall deliver {n} volts to the traction unit.",
    "Display": "The driver display shall show the current speed in font size {n}.",
}


@dataclass
class LabeledProject:
    project: Project
    document: Document
    labels: dict[str, Label]
    requirements: list[Requirement]


def labeled_project_create(*, project: Project, per_label: int = 8, unlabeled: int = 3) -> LabeledProject:
    """Tree: Safety > Braking, Safety > Power, Display. Each leaf gets `per_label` positive requirements."""
    safety = Label.objects.create(project=project, name="Safety")
    labels = {
        "Safety": safety,
        "Braking": Label.objects.create(project=project, name="Braking", parent=safety),
        "Power": Label.objects.create(project=project, name="Power", parent=safety),
        "Display": Label.objects.create(project=project, name="Display"),
    }
    document = Document.objects.create(project=project, name="spec.pdf", kind="pdf", status="parsed")
    requirements = []
    order = 0
    for n in range(per_label + unlabeled):
        for leaf, template in TOPICS.items():
            order += 1
            requirement = Requirement.objects.create(
                project=project, document=document, order=order, text=template.format(n=10 + n), page=1
            )
            requirements.append(requirement)
            if n < per_label:
                Annotation.objects.create(
                    project=project, requirement=requirement, label=labels[leaf], value=True
                )
                if labels[leaf].parent_id:
                    Annotation.objects.create(
                        project=project, requirement=requirement, label=safety, value=True
                    )
                else:
                    Annotation.objects.create(
                        project=project, requirement=requirement, label=safety, value=False
                    )
    return LabeledProject(project=project, document=document, labels=labels, requirements=requirements)
