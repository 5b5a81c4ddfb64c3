"""Administration of users: list with active search and filters, create, detail, edit."""

from collections.abc import Mapping

from flask import Blueprint, flash, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response as HttpResponse

from domain.administration import services
from domain.administration.models import IssuedLink
from domain.identity.access import require_sensitive
from domain.identity.permissions import Permission
from domain.shared.errors import Conflict, StaleVersion, ValidationFailed
from web.admin.errors import register_refusals
from web.admin.forms import list_link, submitted, user_query, user_values, version_of
from web.deps import deps
from web.guard import current_actor
from web.htmx import render, see_other
from web.i18n import error_messages

bp = Blueprint("users", __name__, url_prefix="/admin/users")
register_refusals(bp)
RESULTS = {"user-results": "admin/users/_results.html"}
FORM = {"user-form": "admin/users/_form.html"}


@bp.get("")
def index() -> HttpResponse:
    d, query = deps(), user_query(request.args)
    found = services.list_users(query, actor=current_actor(), uow=d.reader(), clock=d.clock)
    page = found.page
    links = {"next": list_link(request.args, after=page.next_cursor) if page.next_cursor else None,
             "prev": list_link(request.args, before=page.prev_cursor) if page.prev_cursor else None}
    return render("admin/users/index.html", RESULTS, page=page, query=query, choices=found.choices, links=links,
                  base=url_for(".index"))


@bp.get("/new")
def new() -> HttpResponse:
    require_sensitive(current_actor(), Permission.USER_MANAGE)  # roles are granted here: step up before typing
    return _form_page("admin/users/new.html", 200, values={"roles": []})


@bp.post("")
def create() -> HttpResponse:
    d, values = deps(), submitted(request.form)
    try:
        link = services.create_user(str(values["username"]), str(values["display_name"]),
                                    str(values["department_id"]), request.form.getlist("roles"),
                                    actor=current_actor(), uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        return _form_page("admin/users/new.html", 422, values=values, errors=error.errors)
    except Conflict:  # the same username won a race with another form
        return _form_page("admin/users/new.html", 422, values=values, errors={"username": "username.taken"})
    return link_page(link, created=True)


@bp.get("/<int:user_id>")
def detail(user_id: int) -> HttpResponse:
    d = deps()
    found = services.get_user(user_id, actor=current_actor(), uow=d.reader(), clock=d.clock)
    return render("admin/users/detail.html", None, detail=found, user=found.user)


@bp.get("/<int:user_id>/edit")
def edit(user_id: int) -> HttpResponse:
    d = deps()
    found = services.get_user(user_id, actor=current_actor(), uow=d.reader(), clock=d.clock)
    return _form_page("admin/users/edit.html", 200, values=user_values(found.user), user=found.user,
                      version=found.user.version)


@bp.post("/<int:user_id>")
def update(user_id: int) -> HttpResponse:
    d, actor, values, version = deps(), current_actor(), submitted(request.form), version_of(request.form)
    try:
        services.update_user(user_id, str(values["display_name"]), str(values["department_id"]),
                             request.form.getlist("roles"), version, actor=actor, uow=d.uow(), clock=d.clock)
    except ValidationFailed as error:
        current = services.get_user(user_id, actor=actor, uow=d.reader(), clock=d.clock).user
        return _form_page("admin/users/edit.html", 422, values=values, errors=error.errors, user=current,
                          version=version)
    except StaleVersion:
        current = services.get_user(user_id, actor=actor, uow=d.reader(), clock=d.clock).user
        return _form_page("admin/users/edit.html", 409, values=values, user=current, version=current.version,
                          conflict=user_values(current))
    flash(_("Saved. Role changes apply on the user's next request."), "success")
    return see_other(url_for(".detail", user_id=user_id))


def link_page(link: IssuedLink, *, created: bool = False) -> HttpResponse:
    """The one-time link, shown once: it is neither stored in clear text nor put in a URL or the session."""
    url = url_for("links.activate", token=link.token, _external=True)
    fragments = {"user-form": "admin/users/_link.html"}
    return render("admin/users/link.html", fragments, link=link, url=url, created=created)


def _form_page(template: str, status: int, *, values: Mapping[str, object], errors: dict[str, str] | None = None,
               **context: object) -> HttpResponse:
    choices = services.user_choices(actor=current_actor(), uow=deps().reader())
    return render(template, FORM, status, values=values, errors=error_messages(errors or {}), choices=choices,
                  **context)
