"""Starter taxonomies a project can copy, then adapt: they are imported like any other file."""

from __future__ import annotations

from dataclasses import dataclass

from models_app.taxonomy.selectors import PATH_SEPARATOR
from models_app.taxonomy.services import LabelSpec
from selko.errors import NotFound


@dataclass(frozen=True)
class TaxonomyTemplate:
    key: str
    title: str
    description: str
    labels: tuple[LabelSpec, ...]

    def paths(self) -> list[str]:
        """Every label as a path, for a preview of what copying the template adds."""

        def walk(specs: tuple[LabelSpec, ...], prefix: tuple[str, ...]) -> list[str]:
            found = []
            for spec in specs:
                path = (*prefix, spec.name)
                found.append(PATH_SEPARATOR.join(path))
                found.extend(walk(spec.children, path))
            return found

        return walk(self.labels, ())


def _leaves(*names_and_descriptions: tuple[str, str]) -> tuple[LabelSpec, ...]:
    return tuple(
        LabelSpec(name=name, description=description) for name, description in names_and_descriptions
    )


REQUIREMENT_TYPES = TaxonomyTemplate(
    key="requirement-types",
    title="Functional / non-functional",
    description="What the system does, and the usual quality classes of how well it does it.",
    labels=(
        LabelSpec(
            name="Functional", description="A behaviour or function the system provides.", color="#2457c5"
        ),
        LabelSpec(
            name="Non-functional",
            description="A quality or constraint on how the system works.",
            color="#1f7a3f",
            children=_leaves(
                ("Performance", "Response times, throughput, capacity, resource use."),
                ("Security", "Access control, confidentiality, integrity, audit."),
                ("Usability", "Ease of learning and use, accessibility, user interface."),
                ("Availability", "Uptime, service hours, recovery time."),
                ("Reliability", "Failure rates, fault tolerance, robustness."),
                ("Maintainability", "Ease of change, diagnosis and repair."),
                ("Portability", "Platforms, environments, installation."),
                ("Scalability", "Growth in users, data or load."),
                ("Safety", "Hazards to people, property or the environment."),
                ("Legal and compliance", "Laws, regulations, standards and licences."),
                ("Look and feel", "Appearance and style of the interface."),
                ("Operational", "Operating environment, procedures and support."),
                ("Interoperability", "Interfaces and exchange with other systems."),
            ),
        ),
    ),
)

ENGINEERING_DISCIPLINES = TaxonomyTemplate(
    key="engineering-disciplines",
    title="Engineering disciplines",
    description="Who must act on a requirement on a large project: rail, energy, space, defence.",
    labels=(
        LabelSpec(
            name="Electrical",
            color="#9a6700",
            children=_leaves(
                ("Power supply", "Sources, distribution, converters, batteries."),
                ("Cabling and wiring", "Harnesses, connectors, routing."),
                ("Earthing and bonding", "Grounding, lightning protection."),
                ("EMC", "Electromagnetic emissions and immunity."),
            ),
        ),
        LabelSpec(
            name="Mechanical",
            color="#4d5b7c",
            children=_leaves(
                ("Structures", "Loads, strength, fatigue, materials."),
                ("Thermal", "Heating, cooling, ventilation, temperature ranges."),
                ("Vibration and shock", "Dynamic environments and their tests."),
            ),
        ),
        LabelSpec(
            name="Software",
            color="#2457c5",
            children=_leaves(
                ("Application", "Functions implemented in software."),
                ("Data and interfaces", "Data formats, protocols, APIs."),
                ("Cybersecurity", "Protection against attacks."),
            ),
        ),
        LabelSpec(
            name="Control and signalling", color="#0e7490", description="Command, control and signalling."
        ),
        LabelSpec(
            name="Telecommunications", color="#6941c6", description="Radio, networks, communication links."
        ),
        LabelSpec(name="Civil", color="#c2410c", description="Civil works, buildings, track, foundations."),
        LabelSpec(
            name="RAMS",
            color="#b42318",
            description="Reliability, availability, maintainability and safety.",
            children=_leaves(
                ("Reliability", "Failure rates and their allocation."),
                ("Availability", "Operational availability targets."),
                ("Maintainability", "Maintenance tasks, times and access."),
                ("Safety", "Hazard analysis, safety integrity levels."),
            ),
        ),
        LabelSpec(name="Human factors", color="#1f7a3f", description="Ergonomics, operators, workload."),
        LabelSpec(
            name="Environmental", color="#1f7a3f", description="Climate, pollution, noise, sustainability."
        ),
        LabelSpec(
            name="Verification and validation", color="#4d5b7c", description="Tests, inspections, analyses."
        ),
        LabelSpec(
            name="Project management", color="#5b6575", description="Deliverables, schedule, documentation."
        ),
    ),
)

TEMPLATES: dict[str, TaxonomyTemplate] = {
    template.key: template for template in (REQUIREMENT_TYPES, ENGINEERING_DISCIPLINES)
}


def taxonomy_template_get(*, key: str) -> TaxonomyTemplate:
    template = TEMPLATES.get(key)
    if template is None:
        raise NotFound(f"No starter taxonomy '{key}'. Known: {', '.join(TEMPLATES)}.")
    return template
