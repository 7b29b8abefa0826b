"""The taxonomy page: the label tree with its counters, and create, edit, move, delete, import, export."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontend.views.domain_errors import domain_errors
from models_app.annotations.selectors import label_training_readiness
from models_app.taxonomy.file_formats import CONTENT_TYPES, EXTENSIONS, FORMATS, taxonomy_dump, taxonomy_parse
from models_app.taxonomy.label_fields import DESCRIPTION_MAX_LENGTH
from models_app.taxonomy.selectors import Taxonomy, taxonomy_get
from models_app.taxonomy.services import (
    LabelChanges,
    label_create,
    label_delete,
    label_edit,
    taxonomy_import,
)
from models_app.taxonomy.starter_trees import TEMPLATES, taxonomy_template_get
from selko.errors import Conflict, DomainError
from selko.request_types import AuthenticatedHttpRequest
from selko.tenancy.models import Project, Role
from selko.tenancy.selectors import project_get_for_user, user_has_role


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


FORMAT_CHOICES = [("paths", "Paths, one per line"), ("yaml", "YAML"), ("json", "JSON")]


class LabelForm(forms.Form):
    name = forms.CharField(max_length=120)
    parent = forms.TypedChoiceField(coerce=int, empty_value=None, required=False)
    description = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": "e.g. access control, authentication, encryption"}
        ),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text="What the label means, in a sentence or two. Selko suggests the label from it before "
        "anything is trained.",
    )
    examples = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "only authorised users can…\none per line"}),
        required=False,
        label="Example phrases",
        help_text="Optional: typical phrases of requirements with this label, one per line.",
    )
    color = forms.CharField(widget=forms.TextInput(attrs={"type": "color"}), required=False)

    def __init__(self, *args: Any, parents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "— top level —"), *parents]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file_type = forms.ChoiceField(choices=FORMAT_CHOICES, label="Format")
    file = forms.FileField(required=False)
    content = forms.CharField(
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "Electrical > Power supply\nElectrical > EMC"}
        ),
        required=False,
        label="…or paste it",
        strip=False,
    )


def _parent_choices(index: Taxonomy, *, excluding: int | None = None) -> list[tuple[int, str]]:
    # A label cannot move under itself or its descendants: they are not offered as parents.
    banned = {excluding, *index.descendant_ids(excluding)} if excluding is not None else set()
    return [(row.id, row.path_display) for row in index.rows() if row.id not in banned]


def _can_edit(request: HttpRequest, project: Project) -> bool:
    return user_has_role(user=request.user, project=project, minimum=Role.EDITOR)


def _label_or_404(index: Taxonomy, label_id: int) -> Any:
    if label_id not in index:
        raise Http404("No such label.")
    return index.by_id[label_id]


@login_required
@domain_errors()
@require_http_methods(["GET", "POST"])
def taxonomy_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    index = taxonomy_get(project=project)
    form = LabelForm(request.POST or None, parents=_parent_choices(index), prefix="new")
    del form.fields["color"]
    if request.method == "POST" and form.is_valid():
        try:
            label = label_create(
                user=request.user,
                project=project,
                name=form.cleaned_data["name"],
                parent_id=form.cleaned_data["parent"],
                description=form.cleaned_data["description"],
                examples=_phrases(form.cleaned_data["examples"]),
                # A new label takes the palette's next colour, or its parent's; the edit page changes it.
                color="",
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Label “{label.name}” added.")
            return redirect("frontend:taxonomy", project_slug=project.slug)
    readiness = label_training_readiness(project=project, index=index)
    context = {
        "project": project,
        "rows": list(zip(index.rows(), readiness, strict=True)),
        "readiness": readiness,
        "minimum": readiness[0].minimum if readiness else None,
        "ready_count": sum(1 for row in readiness if row.ready),
        "form": form,
        "import_form": ImportForm(prefix="import"),
        "templates": TEMPLATES.values(),
        "formats": FORMATS,
        "can_edit": _can_edit(request, project),
    }
    return render(request, "frontend/labeling/taxonomy.html", context)


@login_required
@domain_errors()
@require_http_methods(["GET", "POST"])
def label_edit_view(request: AuthenticatedHttpRequest, project_slug: str, label_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    index = taxonomy_get(project=project)
    label = _label_or_404(index, label_id)
    initial = {
        "name": label.name,
        "parent": label.parent_id,
        "description": label.description,
        "examples": "\n".join(label.examples),
        "color": label.color,
    }
    form = LabelForm(
        request.POST or None, initial=initial, parents=_parent_choices(index, excluding=label_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            label_edit(
                user=request.user,
                project=project,
                label_id=label_id,
                changes=LabelChanges(
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    examples=_phrases(form.cleaned_data["examples"]),
                    color=form.cleaned_data["color"] or label.color,
                    move=True,
                    parent_id=form.cleaned_data["parent"],
                ),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Label “{form.cleaned_data['name']}” saved.")
            return redirect("frontend:taxonomy", project_slug=project.slug)
    context = {
        "project": project,
        "label": label,
        "path": index.path_display(label_id),
        "form": form,
        "can_edit": _can_edit(request, project),
    }
    return render(request, "frontend/labeling/label_edit.html", context)


@login_required
@domain_errors()
@require_http_methods(["GET", "POST"])
def label_delete_view(request: AuthenticatedHttpRequest, project_slug: str, label_id: int) -> HttpResponse:
    """Ask first, saying how many sub-labels and answers go with the label."""
    project = project_get_for_user(user=request.user, slug=project_slug)
    index = taxonomy_get(project=project)
    label = _label_or_404(index, label_id)
    if request.method == "POST":
        try:
            deleted = label_delete(
                user=request.user,
                project=project,
                label_id=label_id,
                confirmed=request.POST.get("confirm") == "yes",
            )
        except Conflict as error:
            messages.warning(request, error.message)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"Deleted “{label.name}” with {deleted.labels - 1} sub-labels "
                f"and {deleted.annotations} answers.",
            )
            return redirect("frontend:taxonomy", project_slug=project.slug)
    subtree = [label_id, *index.descendant_ids(label_id)]
    readiness = {row.label_id: row for row in label_training_readiness(project=project, index=index)}
    context = {
        "project": project,
        "label": label,
        "path": index.path_display(label_id),
        "descendants": [index.path_display(i) for i in subtree[1:]],
        "annotations": sum(readiness[i].positives + readiness[i].negatives for i in subtree),
        "can_edit": _can_edit(request, project),
    }
    return render(request, "frontend/labeling/label_delete.html", context)


@login_required
@domain_errors()
@require_POST
def taxonomy_import_view(request: AuthenticatedHttpRequest, project_slug: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    form = ImportForm(request.POST, request.FILES, prefix="import")
    if not form.is_valid():
        messages.error(request, "Choose a format and give a file or paste the labels.")
        return redirect("frontend:taxonomy", project_slug=project.slug)
    content = form.cleaned_data["content"] or ""
    try:
        if upload := form.cleaned_data["file"]:
            try:
                content = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                messages.error(request, "The file is not UTF-8 text.")
                return redirect("frontend:taxonomy", project_slug=project.slug)
        specs = taxonomy_parse(content=content, file_format=form.cleaned_data["file_type"])
        result = taxonomy_import(user=request.user, project=project, specs=specs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Imported: {result.created} labels added, {result.updated} updated, {result.unchanged} kept.",
        )
    return redirect("frontend:taxonomy", project_slug=project.slug)


@login_required
@domain_errors(back="frontend:taxonomy")
@require_POST
def taxonomy_template_view(
    request: AuthenticatedHttpRequest, project_slug: str, template_key: str
) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    template = taxonomy_template_get(key=template_key)
    result = taxonomy_import(user=request.user, project=project, specs=template.labels)
    messages.success(request, f"Copied “{template.title}”: {result.created} labels added.")
    return redirect("frontend:taxonomy", project_slug=project.slug)


@login_required
@domain_errors()
@require_GET
def taxonomy_export_view(
    request: AuthenticatedHttpRequest, project_slug: str, file_type: str
) -> HttpResponse:
    project = project_get_for_user(user=request.user, slug=project_slug)
    if file_type not in FORMATS:
        raise Http404("Unknown format.")
    text = taxonomy_dump(index=taxonomy_get(project=project), file_format=file_type)
    response = HttpResponse(text, content_type=f"{CONTENT_TYPES[file_type]}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.slug}-labels.{EXTENSIONS[file_type]}"'
    return response
