"""Masks, lookup normalisation, the blind index and the key ring."""

import json
import stat
from pathlib import Path

import pytest

from adapters.crypto.blind_index import HmacBlindIndex
from adapters.crypto.fields import UNCONFIGURED, field_crypto
from adapters.keys import load_key_ring, with_new_key, without_old_keys, write_key_file
from domain.shared.sensitive import SensitiveKind as K, lookup_kind, mask, masked_values, normalise


@pytest.mark.parametrize(("kind", "value", "masked"), [
    (K.PHONE, "13812345678", "138****5678"),
    (K.PHONE, "+86 138-1234-5678", "138****5678"),
    (K.PHONE, "0086 13812345678", "138****5678"),
    (K.PHONE, "021-5555 0101", "021****0101"),
    (K.PHONE, "+49 30 12345678", "493*****5678"),
    (K.PHONE, "5555 0101", "********"),
    (K.PHONE, "12", "**"),
    (K.PHONE, "---", "***"),
    (K.PHONE, "", ""),
    (K.PHONE, None, ""),
    (K.EMAIL, "zhang@example.com", "z***@example.com"),
    (K.EMAIL, "a@b.cn", "a***@b.cn"),
    (K.EMAIL, "no-at-sign", "***"),
    (K.EMAIL, "@example.com", "***"),
    (K.ID_NUMBER, "11010519491231002X", "110***********002X"),
    (K.ID_NUMBER, "110105194912311234", "110***********1234"),
    (K.ID_NUMBER, "1234567", "*******"),
    (K.BANK_ACCOUNT, "6222 0212 3456 1234", "**** **** **** 1234"),
    (K.BANK_ACCOUNT, "DE89 3704 0044 0532 0130 00", "**** **** **** 3000"),
    (K.BANK_ACCOUNT, "12345", "*****"),
    (K.BANK_ACCOUNT, "1", "****"),
])
def test_masks(kind: K, value: str | None, masked: str) -> None:
    assert mask(kind, value) == masked


@pytest.mark.parametrize("spelling", ["13800138000", "138 0013 8000", "+86 13800138000", "0086-138-0013-8000",
                                      "+86-138-0013-8000", " 138-0013-8000 "])
def test_any_spelling_of_a_phone_normalises_alike(spelling: str) -> None:
    assert normalise(K.PHONE, spelling) == "13800138000"


def test_emails_normalise_trimmed_and_casefolded() -> None:
    assert normalise(K.EMAIL, "  Zhang.San@Example.COM ") == "zhang.san@example.com"


@pytest.mark.parametrize(("term", "kind"), [
    ("13800138000", K.PHONE), ("+86 138 0013 8000", K.PHONE), ("021-5555 0101", K.PHONE),
    ("info@example.cn", K.EMAIL), ("华宏", None), ("91350100M000100Y43", None), ("123", None),
    ("1" * 16, None), ("Kestrel 12", None),
])
def test_lookup_kind_spots_whole_phone_numbers_and_addresses(term: str, kind: K | None) -> None:
    assert lookup_kind(term) == kind


def test_masked_values_replaces_only_the_sensitive_fields() -> None:
    values = {"name": "Ada", "phone": "13812345678", "email": None}

    assert masked_values(values, {"phone": K.PHONE, "email": K.EMAIL}) == {"name": "Ada", "phone": "138****5678",
                                                                            "email": None}


def test_blind_index_is_keyed_and_separates_kinds() -> None:
    index, other = HmacBlindIndex(b"k" * 32), HmacBlindIndex(b"o" * 32)

    digest = index.digest("phone", "13800138000")

    assert digest == index.digest("phone", "13800138000") and len(digest) == 64
    assert digest != other.digest("phone", "13800138000")
    assert digest != index.digest("email", "13800138000")
    with pytest.raises(ValueError, match="32 bytes"):
        HmacBlindIndex(b"short")


def test_field_crypto_seals_differently_each_time_and_indexes_alike(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOUTAI_ENCRYPTION_KEYS", raising=False)
    crypto = field_crypto(load_key_ring(tmp_path))

    first, second = crypto.seal("13800138000"), crypto.seal("13800138000")

    assert first != second and first is not None and first.startswith(b"k1:")
    assert crypto.open(first) == crypto.open(second) == "13800138000"
    assert crypto.index_of(K.PHONE, "138 0013 8000") == crypto.index_of(K.PHONE, "+86 13800138000")
    assert crypto.seal(None) is None and crypto.index_of(K.PHONE, "") is None


def test_unconfigured_crypto_refuses_instead_of_inventing_a_key() -> None:
    with pytest.raises(RuntimeError, match="no field keys"):
        UNCONFIGURED.seal("13800138000")
    assert UNCONFIGURED.seal(None) is None


class TestKeyRing:
    @pytest.fixture(autouse=True)
    def _no_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("HOUTAI_ENCRYPTION_KEYS", raising=False)
        monkeypatch.delenv("HOUTAI_BLIND_INDEX_KEY", raising=False)

    def test_an_old_key_file_gets_an_index_key_and_stays_private(self, tmp_path: Path) -> None:
        (tmp_path / "keys.json").write_text(json.dumps({"current": "k1", "keys": {"k1": "a" * 43 + "="}}))

        ring = load_key_ring(tmp_path)

        assert len(ring.index_key) == 32 and load_key_ring(tmp_path).index_key == ring.index_key
        assert stat.S_IMODE((tmp_path / "keys.json").stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir()] == ["keys.json"]

    def test_new_keys_count_up_and_retiring_keeps_only_the_current_one(self, tmp_path: Path) -> None:
        ring = with_new_key(with_new_key(load_key_ring(tmp_path)))
        write_key_file(tmp_path, ring)

        reloaded = load_key_ring(tmp_path)
        assert reloaded.current == "k3" and set(reloaded.keys) == {"k1", "k2", "k3"}
        assert reloaded.keys == ring.keys and reloaded.index_key == ring.index_key
        assert set(without_old_keys(reloaded).keys) == {"k3"}

    def test_environment_keys_need_an_index_key(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOUTAI_ENCRYPTION_KEYS", json.dumps({"current": "p", "keys": {"p": "a" * 43 + "="}}))

        with pytest.raises(RuntimeError, match="index_key"):
            load_key_ring(tmp_path)
        monkeypatch.setenv("HOUTAI_BLIND_INDEX_KEY", "b" * 43 + "=")
        assert load_key_ring(tmp_path).from_environment and not (tmp_path / "keys.json").exists()
