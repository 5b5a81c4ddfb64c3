"""Administration of departments: the tree, create, rename, move and set the manager."""

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.administration import departments as services
from domain.administration.models import DepartmentNode
from domain.shared.errors import NotFound, ValidationFailed
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("departments", __name__, url_prefix="/admin/departments")
TREE = {"department-tree": "admin/departments/_tree.html"}


@bp.get("")
def index() -> HttpResponse:
    return _tree_page(200)


@bp.post("")
def create() -> HttpResponse:
    d = deps()
    try:
        department = services.create_department(request.form.get("name", ""), request.form.get("parent_id", ""),
                                                actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _tree_page(422, errors=error.errors)
    flash(_("Department “%(name)s” created.", name=department.name), "success")
    return see_other(url_for(".index"))


@bp.get("/<int:department_id>")
def edit(department_id: int) -> HttpResponse:
    return _edit_page(department_id, 200)


@bp.post("/<int:department_id>/name")
def rename(department_id: int) -> HttpResponse:
    return _change(department_id, services.rename_department, request.form.get("name", ""))


@bp.post("/<int:department_id>/parent")
def move(department_id: int) -> HttpResponse:
    return _change(department_id, services.move_department, request.form.get("parent_id", ""))


@bp.post("/<int:department_id>/manager")
def manager(department_id: int) -> HttpResponse:
    return _change(department_id, services.set_manager, request.form.get("manager_id", ""))


def _change(department_id: int, service: services.Change, value: str) -> HttpResponse:
    d = deps()
    try:
        service(department_id, value[:200], actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _edit_page(department_id, 422, errors=error.errors, values=request.form)
    flash(_("Saved."), "success")
    return see_other(url_for(".edit", department_id=department_id))


def _tree_page(status: int, errors: dict[str, str] | None = None) -> HttpResponse:
    tree = services.department_tree(actor=current_actor(), uow=deps().reader())
    return render("admin/departments/index.html", TREE, status, tree=tree, parent_choices=_choices(tree),
                  errors=error_messages(errors or {}), values=request.form)


def _edit_page(department_id: int, status: int, errors: dict[str, str] | None = None,
               values: object = None) -> HttpResponse:
    actor, reader = current_actor(), deps().reader()
    tree = services.department_tree(actor=actor, uow=reader)
    node = _node(tree, department_id)
    parents = [n for n in tree if not node.department.contains(n.department)]
    managers = services.manager_choices(department_id, actor=actor, uow=reader)
    return render("admin/departments/edit.html", None, status, node=node, parent_choices=_choices(parents),
                  managers=managers, errors=error_messages(errors or {}), values=values or {})


def _choices(nodes: list[DepartmentNode]) -> list[tuple[int, str]]:
    return [(n.department.id or 0, "— " * n.depth + n.department.name) for n in nodes]


def _node(tree: list[DepartmentNode], department_id: int) -> DepartmentNode:
    found = next((n for n in tree if n.department.id == department_id), None)
    if found is None:
        raise NotFound()
    return found
