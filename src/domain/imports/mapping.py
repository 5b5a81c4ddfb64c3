"""Column mapping: which customer field each file column feeds, guessed from zh and en header names."""

import hashlib
import json
from collections.abc import Mapping, Sequence

from domain.imports.models import FIELDS

SYNONYMS = {
    "name": ("名称", "客户名称", "公司名称", "企业名称", "客户", "单位名称", "name", "company", "companyname",
             "customer", "customername"),
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码", "creditcode", "unifiedsocialcreditcode", "uscc"),
    "industry": ("行业", "所属行业", "industry", "sector"),
    "region": ("地区", "区域", "省份", "所在地区", "region", "province", "area"),
    "stage": ("阶段", "客户阶段", "stage"),
    "owner": ("负责人", "客户负责人", "销售", "所有人", "owner", "salesrep", "accountowner"),
    "phone": ("电话", "手机", "手机号", "联系电话", "电话号码", "phone", "mobile", "tel", "telephone"),
    "email": ("邮箱", "电子邮件", "电子邮箱", "邮件", "email", "mail", "emailaddress"),
}
_FIELD_OF = {synonym: field for field, synonyms in SYNONYMS.items() for synonym in synonyms}
_DROPPED = " \t\r\n-_*:：·.()（）"


def normalise_label(text: str) -> str:
    """Case, width, spaces and punctuation removed: "E-mail", "e mail" and "ＥＭＡＩＬ" all become "email"."""
    half = "".join(chr(ord(ch) - 0xFEE0) if "\uff01" <= ch <= "\uff5e" else ch for ch in text)
    return "".join(ch for ch in half.casefold() if ch not in _DROPPED)


def guess_mapping(header: Sequence[str]) -> list[str]:
    """A field per column from its header (first column wins a field; unknown headers are ignored)."""
    mapping: list[str] = []
    for title in header:
        field = _FIELD_OF.get(normalise_label(title), "")
        mapping.append("" if field in mapping else field)
    return mapping


def header_key(header: Sequence[str]) -> str:
    """A stable key of a header row, under which the user's last mapping for it is remembered."""
    normalised = [normalise_label(title) for title in header]
    return hashlib.sha256(json.dumps(normalised, ensure_ascii=False).encode()).hexdigest()


def mapping_errors(mapping: Sequence[str], columns: int) -> dict[str, str]:
    """Codes for a mapping that cannot work: wrong length, unknown fields, a field twice, or no name column."""
    if len(mapping) != columns or any(field and field not in FIELDS for field in mapping):
        return {"mapping": "mapping.invalid"}
    chosen = [field for field in mapping if field]
    if len(chosen) != len(set(chosen)):
        return {"mapping": "mapping.twice"}
    if "name" not in chosen:
        return {"mapping": "mapping.name_missing"}
    return {}


def vocabulary_of(*languages: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Per choice field (industry, region, stage), normalised code or label in any given language → code."""
    vocabulary: dict[str, dict[str, str]] = {}
    for labels in languages:
        for field, table in labels.items():
            words = vocabulary.setdefault(field, {})
            words.update({normalise_label(code): code for code in table})
            words.update({normalise_label(label): code for code, label in table.items()})
    return vocabulary
