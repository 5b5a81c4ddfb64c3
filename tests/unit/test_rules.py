"""Pure rules: credit codes, field validation, cursors, roles."""

import pytest

from domain.customers.credit_code import check_character, is_valid_credit_code, normalise_credit_code
from domain.customers.validation import customer_fields
from domain.identity.models import Actor
from domain.identity.permissions import Permission, Scope
from domain.shared.errors import ValidationFailed
from domain.shared.paging import decode_cursor, encode_cursor
from tests.builders import customer_form


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000100006485K", "91440300708461136T"])
def test_real_credit_codes_pass_the_gb_32100_check(code: str) -> None:
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M00010OY43",
                                  "9135O100M000100Y43"])
def test_wrong_check_character_length_or_alphabet_fails(code: str) -> None:
    assert not is_valid_credit_code(code)


def test_check_character_can_be_zero() -> None:
    body = next(b for b in (f"9111000010000{n:04d}" for n in range(2000)) if check_character(b) == "0")

    assert is_valid_credit_code(body + "0")


def test_full_width_and_spaced_codes_are_normalised() -> None:
    assert normalise_credit_code(" ９１３５０１００ｍ000100y43 ") == "91350100M000100Y43"


def test_valid_form_becomes_normalised_fields() -> None:
    fields = customer_fields(customer_form(email="Info@Example.CN", phone=" +86 138-1234-5678 "))

    assert fields.email == "info@example.cn" and fields.phone == "+86 138-1234-5678" and fields.owner_id == 1


@pytest.mark.parametrize(("field", "value", "code"), [
    ("name", "x" * 201, "too_long"), ("stage", "won", "choice.invalid"), ("region", "", "required"),
    ("owner_id", "1 OR 1=1", "choice.invalid"), ("credit_code", "123", "credit_code.length"),
    ("email", "a@b", "email.invalid"), ("phone", "1" * 30, "phone.invalid"),
])
def test_each_rule_names_its_field(field: str, value: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as failure:
        customer_fields(customer_form(**{field: value}))

    assert failure.value.errors == {field: code}


def test_cursor_round_trips_and_rejects_garbage() -> None:
    cursor = encode_cursor(("2026-11-25T09:00:00+00:00", 42))

    assert decode_cursor(cursor) == ("2026-11-25T09:00:00+00:00", 42)
    assert decode_cursor("not-a-cursor") is None
    assert decode_cursor("W1tdXQ") is None  # [[]]: wrong shape


def test_roles_combine_permissions_and_take_the_widest_scope() -> None:
    actor = Actor(1, "u", "U", frozenset({"sales_rep", "auditor"}), None)

    assert actor.can(Permission.AUDIT_READ) and actor.can(Permission.CUSTOMER_CREATE)
    assert not actor.can(Permission.USER_MANAGE)
    assert actor.scope("customer") is Scope.ALL
    unknown = Actor(2, "x", "X", frozenset({"unknown-role"}), None)
    assert unknown.scope("customer") is None and not unknown.can(Permission.CUSTOMER_READ)
