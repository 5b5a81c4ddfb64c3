"""Roles and the permission matrix: one column per role, saved whole; custom roles; record scopes."""

from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.administration import roles as services
from domain.administration.role_models import RoleLocked, StoredRole
from domain.identity.access import require_sensitive
from domain.identity.permissions import ENTITIES, MODULES, Permission, Role
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from web import i18n
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages
from web.why import role_label

bp = Blueprint("roles", __name__, url_prefix="/admin/roles")
GROUPS = [(module, [p for p in Permission if p.module == module]) for module in MODULES]


@bp.get("")
def index() -> HttpResponse:
    found = services.list_roles(actor=current_actor(), uow=deps().reader())
    return render("admin/roles/index.html", None, roles=found, **_labels())


@bp.get("/new")
def new() -> HttpResponse:
    require_sensitive(current_actor(), Permission.ROLE_MANAGE)
    return _form("admin/roles/new.html", 200, values={"key": "", "name": "", "permissions": [], "scopes": {}})


@bp.post("")
def create() -> HttpResponse:
    d, form = deps(), request.form
    try:
        stored = services.create_role(form.get("key", ""), form.get("name", ""), form.getlist("permissions"),
                                      _posted_scopes(), actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form("admin/roles/new.html", 422, values=_posted_values(), errors=error.errors)
    except Conflict:  # another administrator created the same key in between
        return _form("admin/roles/new.html", 422, values=_posted_values(), errors={"key": "role.key_taken"})
    flash(_("Role “%(name)s” created. Give it to users on their user page.", name=stored.role.name), "success")
    return see_other(url_for(".index"))


@bp.get("/<key>")
def edit(key: str) -> HttpResponse:
    actor = current_actor()
    require_sensitive(actor, Permission.ROLE_MANAGE)
    stored = services.get_role(key, actor=actor, uow=deps().reader())
    return _form("admin/roles/edit.html", 200, values=_values_of(stored.role), stored=stored)


@bp.post("/<key>")
def update(key: str) -> HttpResponse:
    d, form = deps(), request.form
    try:
        stored = services.update_role(key, form.get("name"), form.getlist("permissions"), _posted_scopes(),
                                      _version(), actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form("admin/roles/edit.html", 422, values=_posted_values(), errors=error.errors, stored=_stored(key))
    except StaleVersion:
        return _conflict(key)
    flash(_("Role “%(name)s” saved. Its holders get the new permissions on their next page.",
            name=role_label(stored.role)), "success")
    return see_other(url_for(".index"))


@bp.post("/<key>/delete")
def delete(key: str) -> HttpResponse:
    d = deps()
    try:
        services.delete_role(key, _version(), actor=current_actor(), uow=d.uow(), clock=d.clock)
    except RoleLocked as error:
        stored = _stored(key)
        return _form("admin/roles/edit.html", 409, values=_values_of(stored.role), stored=stored,
                     errors={"delete": error.code})
    except Conflict:  # someone was given the role in between
        stored = _stored(key)
        return _form("admin/roles/edit.html", 409, values=_values_of(stored.role), stored=stored,
                     errors={"delete": "role.in_use"})
    except StaleVersion:
        return _conflict(key)
    flash(_("Role deleted."), "success")
    return see_other(url_for(".index"))


def _conflict(key: str) -> HttpResponse:
    stored = _stored(key)
    return _form("admin/roles/edit.html", 409, values=_values_of(stored.role), stored=stored, conflict=True)


def _stored(key: str) -> StoredRole:
    return services.get_role(key, actor=current_actor(), uow=deps().reader())


def _form(template: str, status: int, *, values: Mapping[str, object], errors: dict[str, str] | None = None,
          **context: object) -> HttpResponse:
    return render(template, None, status, values=values, errors=error_messages(errors or {}), **_labels(),
                  **context)


def _labels() -> dict[str, object]:
    return {"groups": GROUPS, "entities": ENTITIES, "permission_names": i18n.PERMISSIONS,
            "module_names": i18n.MODULES, "entity_names": i18n.ENTITIES, "scope_names": i18n.SCOPES,
            "role_label": role_label}


def _values_of(role: Role) -> dict[str, object]:
    return {"key": role.key, "name": role.name, "permissions": [p.value for p in role.permissions],
            "scopes": {entity: scope.value for entity, scope in role.scopes.items()}}


def _posted_values() -> dict[str, object]:
    """The submitted values to show again, limited to known permissions and entities."""
    known = {p.value for p in Permission}
    return {"key": request.form.get("key", "")[:50], "name": request.form.get("name", "")[:100],
            "permissions": [p for p in request.form.getlist("permissions") if p in known],
            "scopes": {e: v for e, v in _posted_scopes().items() if e in ENTITIES}}


def _posted_scopes() -> dict[str, str]:
    """Every posted `scope.<entity>` field, so that unknown entities reach the domain and are refused."""
    return {name[len("scope."):]: value for name, value in request.form.items() if name.startswith("scope.")}


def _version() -> int:
    value = request.form.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else -1
