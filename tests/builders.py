"""Builders for domain objects with sensible defaults."""

from datetime import UTC, datetime
from typing import Any

from domain.identity.models import Actor, User

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
VALID_CODE = "91350100M000100Y43"


def a_user(**overrides: Any) -> User:
    values: dict[str, Any] = {"id": None, "username": "rep", "display_name": "Rep", "password_hash": "hashed:x",
                              "roles": frozenset({"sales_rep"}), "created_at": NOW}
    return User(**(values | overrides))


def an_actor(user: User, ip: str = "127.0.0.1") -> Actor:
    assert user.id is not None
    return Actor(user.id, user.username, user.display_name, user.roles, user.department_id, ip)


def customer_form(**overrides: str) -> dict[str, str]:
    values = {"name": "上海华宏科技有限公司", "credit_code": VALID_CODE, "industry": "technology",
              "region": "shanghai", "stage": "lead", "owner_id": "1", "phone": "13812345678",
              "email": "info@example.cn"}
    return values | overrides
