"""Starter taxonomies a project can copy, then adapt: they are imported like any other file."""

from __future__ import annotations

from dataclasses import dataclass

from models_app.taxonomy.label_fields import LabelSpec
from models_app.taxonomy.selectors import PATH_SEPARATOR
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
            name="Functional",
            description="What the system shall do: a behaviour, function, calculation or data the system "
            "provides to its users or other systems.",
            color="#2457c5",
        ),
        LabelSpec(
            name="Non-functional",
            description="How well the system shall work: a quality, constraint or condition on its "
            "operation rather than a function.",
            color="#1f7a3f",
            children=_leaves(
                ("Performance", "How fast and how much: response times, throughput, capacity, resource use."),
                (
                    "Security",
                    "Access control, authentication, encryption; only authorised users see or change data.",
                ),
                ("Usability", "Ease of learning and use, accessibility, help and the user interface."),
                ("Availability", "Uptime, service hours, downtime allowed and recovery time."),
                ("Reliability", "Failure rates, fault tolerance, robustness, correct results over time."),
                ("Maintainability", "Ease of change, diagnosis, repair and updates of the system."),
                ("Portability", "Platforms, operating systems, browsers, environments and installation."),
                ("Scalability", "Growth in users, data or load without loss of service."),
                ("Safety", "Hazards to people, property or the environment, and how they are prevented."),
                ("Legal and compliance", "Laws, regulations, standards, licences and audits to comply with."),
                ("Look and feel", "Appearance, style, colours and layout of the interface."),
                (
                    "Operational",
                    "Operating environment, procedures, staff and support of the running system.",
                ),
                ("Interoperability", "Interfaces and data exchange with other systems and formats."),
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
            description="Electrical power, cabling, earthing and electromagnetic compatibility.",
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
            description="Structures, materials, thermal control, vibration and shock.",
            color="#4d5b7c",
            children=_leaves(
                ("Structures", "Loads, strength, fatigue, materials."),
                ("Thermal", "Heating, cooling, ventilation, temperature ranges."),
                ("Vibration and shock", "Dynamic environments and their tests."),
            ),
        ),
        LabelSpec(
            name="Software",
            description="Software functions, data, interfaces and their protection.",
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
