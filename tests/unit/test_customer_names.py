"""The company-name key: spellings of one company meet, different companies stay apart."""

import pytest

from domain.customers.names import name_key


@pytest.mark.parametrize(("one", "other"), [
    ("上海华宏科技有限公司", "华宏科技"),
    ("华宏科技（上海）有限公司", "华宏科技"),
    ("上海华宏科技有限公司", "华宏科技（上海）有限公司"),
    ("北京华宏科技股份有限公司", "华宏科技有限责任公司"),
    ("深圳市华为技术有限公司", "华为技术有限公司"),
    ("华为技术有限公司深圳分公司", "华为技术"),
    ("杭州阿里巴巴集团", "阿里巴巴"),
    ("广州 白云 电器 有限公司", "白云电器"),
    ("ＨＵＡＨＯＮＧ Tech Co., Ltd.", "HuaHong Tech"),
    ("Kestrel Logistics Inc.", "KESTREL LOGISTICS"),
    ("Acme Corp.", "ACME Corporation"),
    ("Cobalt Trading Company Limited", "cobalt trading ltd"),
])
def test_spellings_of_one_company_share_a_key(one: str, other: str) -> None:
    assert name_key(one) == name_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("上海华宏科技有限公司", "上海华虹科技有限公司"),
    ("HuaHong Tech", "HuaHong Trading"),
    ("深圳华为技术有限公司", "深圳华润技术有限公司"),
])
def test_different_companies_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


@pytest.mark.parametrize(("name", "key"), [
    ("上海华宏科技有限公司", "华宏科技"),
    ("ＨＵＡＨＯＮＧ Tech Co., Ltd.", "huahongtech"),
    ("黑龙江省北大荒集团", "北大荒"),
    ("上海", "上海"),  # a name that is only a city keeps it
    ("有限公司", "有限公司"),  # nothing left after stripping: keep the name
    ("Costco", "costco"),  # "co" is a suffix only as a word
])
def test_key_values(name: str, key: str) -> None:
    assert name_key(name) == key
