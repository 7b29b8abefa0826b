"""The import-rule check that the test command runs: it must pass on the project and fail on each rule."""

import grimp

from selko.scripts.check_imports import problems


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_module(importer)
        graph.add_module(imported)
        graph.add_import(importer=importer, imported=imported)
    return graph


def test_the_project_follows_the_import_rules() -> None:
    graph = grimp.build_graph("selko", "documents", "models_app", "training", "frontend")

    assert problems(graph) == []


def test_a_cycle_is_reported() -> None:
    graph = _graph(("documents.services", "documents.tasks"), ("documents.tasks", "documents.services"))

    assert problems(graph) == ["import cycle: documents.services <-> documents.tasks"]


def test_an_upward_import_is_reported() -> None:
    graph = _graph(("documents.services", "models_app.models"))

    assert problems(graph) == [
        "documents.services imports models_app.models: imports must run down the layers "
        "('selko', 'documents', 'models_app', 'training', 'frontend')"
    ]


def test_the_ml_core_may_not_import_django_or_the_apps() -> None:
    graph = _graph(("training.ml.train", "django"), ("training.ml.train", "training.models"))

    assert problems(graph) == [
        "training.ml.train imports django: the ML core must not import Django",
        "training.ml.train imports training.models: imports must run down the layers "
        "('selko', 'documents', 'models_app', 'training', 'frontend')",
    ]
