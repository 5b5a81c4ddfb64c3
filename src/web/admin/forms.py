"""Form and query-string values of the administration screens (validation itself lives in the domain)."""

from collections.abc import Mapping
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

from domain.administration.models import UserListQuery, UserStatus
from domain.identity.models import User

LIST_KEYS = ("q", "department", "role", "status")


def user_query(args: Mapping[str, str]) -> UserListQuery:
    """A UserListQuery from request args; unknown or malformed values fall back to no filter."""
    department, status = args.get("department", ""), args.get("status", "")
    return UserListQuery(
        text=args.get("q", "").strip()[:100],
        department_id=int(department) if department.isdigit() and len(department) < 10 else None,
        role=args.get("role", "")[:50] or None,
        status=UserStatus(status) if status in UserStatus.__members__.values() else None,
        after=args.get("after") or None,
        before=args.get("before") or None,
    )


def list_link(args: Mapping[str, str], **cursor: str) -> str:
    """`?...` keeping the filters of the user list, plus a cursor."""
    params = {k: args[k] for k in LIST_KEYS if args.get(k)} | cursor
    return "?" + urlencode(params)


def user_values(user: User) -> dict[str, object]:
    return {"display_name": user.display_name, "department_id": str(user.department_id or ""),
            "roles": sorted(user.roles)}


def submitted(form: MultiDict[str, str]) -> dict[str, object]:
    """Only the fields an administrator may set, so nothing else is echoed back or written."""
    return {"username": form.get("username", "")[:64], "display_name": form.get("display_name", "")[:200],
            "department_id": form.get("department_id", "")[:12], "roles": form.getlist("roles")[:50]}


def version_of(form: Mapping[str, str]) -> int:
    value = str(form.get("version", ""))
    return int(value) if value.isdigit() and len(value) < 10 else -1
