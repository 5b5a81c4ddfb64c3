"""Builders for domain objects with sensible defaults."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from domain.contracts.models import Contract, ContractStatus
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


def a_contract(**overrides: Any) -> Contract:
    values: dict[str, Any] = {
        "id": None, "number": "HT-2026-0001", "title": "年度维护服务", "customer_id": 1, "amount": Decimal("120000.00"),
        "currency": "CNY", "signed_on": date(2026, 1, 5), "start_on": date(2026, 1, 10), "end_on": date(2027, 1, 9),
        "owner_id": 1, "department_id": None, "payment_terms": "", "notes": "", "status": ContractStatus.ACTIVE,
        "created_by": 1, "created_at": NOW, "updated_at": NOW}
    return Contract(**(values | overrides))


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(56)


def ooxml(*parts: str) -> bytes:
    """A ZIP with the given part names, as Office documents are (`[Content_Types].xml` plus a main part)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in parts:
            archive.writestr(part, "<x/>")
    return buffer.getvalue()
