"""Password policy (SECURITY.md A2-A5): length in code points, no composition rules, guessability by zxcvbn."""

import pytest

from adapters.crypto.password_strength import ZxcvbnStrength
from domain.identity.errors import WeakPassword
from domain.identity.passwords import check_password
from tests.fakes import FakeStrength

ZXCVBN = ZxcvbnStrength(site_words=["Acme Trading"])
PASSPHRASE_100 = "Der alte Leuchtturm am Deich blinkt grün, während 🐄 Kühe auf der Marsch wiederkäuen und träumen!!!!!"


def test_length_counts_code_points_from_12_to_256() -> None:
    strength = FakeStrength()

    with pytest.raises(WeakPassword, match="too_short"):
        check_password("🐄" * 11, "ada", strength=strength)
    check_password("🐄" * 12, "ada", strength=strength)
    check_password("x" * 256, "ada", strength=strength)
    with pytest.raises(WeakPassword, match="too_long"):
        check_password("x" * 257, "ada", strength=strength)


def test_the_domain_hands_username_product_and_caller_context_to_the_strength_port() -> None:
    strength = FakeStrength()

    check_password("long enough phrase", "ada", strength=strength, context=("Ada Lovelace",))

    assert strength.seen == [("long enough phrase", ("ada", "houtai", "后台", "Ada Lovelace"))]


def test_a_score_below_three_is_refused_with_one_code() -> None:
    with pytest.raises(WeakPassword, match=r"password\.guessable"):
        check_password("my qwerty keyboard", "ada", strength=FakeStrength())


@pytest.mark.parametrize("password", ["password1234", "Password123!", "houtai2024houtai", "alice2024!!!",
                                      "Alice Smith 2024", "acmetrading2024", "Acme Trading 2024!", "qwertyuiop123"])
def test_common_breached_and_context_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword, match=r"password\.guessable"):
        check_password(password, "alice", strength=ZXCVBN, context=("Alice Smith",))


@pytest.mark.parametrize("password", ["Grüne Wiese 🐄 am Bach!", PASSPHRASE_100, "correct horse battery staple",
                                      "Alice loves purple dinosaurs at dawn"])
def test_unrelated_words_pass_without_any_composition_rule(password: str) -> None:
    check_password(password, "alice", strength=ZXCVBN, context=("Alice Smith",))


def test_a_long_repetitive_password_is_scored_quickly_and_refused() -> None:
    with pytest.raises(WeakPassword, match=r"password\.guessable"):
        check_password("ab" * 128, "alice", strength=ZXCVBN)
