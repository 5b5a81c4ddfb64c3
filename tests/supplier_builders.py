"""Builders for supplier tests (forms as a browser posts them, actors of the procurement roles)."""

from domain.identity.models import Actor

SUPPLIER_CODE, OTHER_CODE = "91310000MA1K000019", "91440300MA5F00002D"
ACCOUNT = "6222 0212 3456 7890 123"  # 19 digits, as a Chinese bank prints it


def supplier_form(**overrides: str) -> dict[str, str]:
    values = {"name": "上海精密零件有限公司", "credit_code": SUPPLIER_CODE, "category": "components",
              "region": "shanghai", "address": "上海市浦东新区张江路 88 号", "payment_terms": "月结 60 天",
              "bank_name": "招商银行上海分行", "bank_account": ACCOUNT, "notes": ""}
    return values | overrides


def procurement_actor(role: str, user_id: int = 1, fresh: bool = False) -> Actor:
    """An actor holding one default role (its grants from DEFAULT_ROLES)."""
    return Actor(user_id, role, role.title(), frozenset({role}), None, "127.0.0.1", fresh=fresh)
