"""Company names reduced to a comparison key, so spellings of one company meet (duplicate prevention).

"上海华宏科技有限公司", "华宏科技（上海）有限公司" and "华宏科技" share the key "华宏科技";
"ＨＵＡＨＯＮＧ Tech Co., Ltd." and "HuaHong Tech" share "huahongtech".
"""

import re
import unicodedata

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西",
    "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古",
    "广西", "西藏", "宁夏", "新疆", "香港", "澳门",
)
CITIES = (
    "深圳", "广州", "杭州", "南京", "苏州", "武汉", "成都", "西安", "长沙", "郑州", "青岛", "厦门", "宁波", "大连",
    "沈阳", "哈尔滨", "长春", "济南", "合肥", "福州", "昆明", "南宁", "贵阳", "南昌", "石家庄", "太原", "兰州",
    "西宁", "银川", "乌鲁木齐", "拉萨", "呼和浩特", "海口", "三亚", "无锡", "佛山", "东莞", "珠海", "中山", "惠州",
    "常州", "温州", "绍兴", "嘉兴", "金华", "台州", "烟台", "潍坊", "徐州", "扬州", "南通", "泉州", "漳州", "洛阳",
    "宜昌", "襄阳", "株洲", "芜湖", "绵阳", "保定", "唐山", "廊坊", "昆山", "江门", "汕头", "湛江", "镇江", "盐城",
)
_PLACES = sorted(PROVINCES + CITIES, key=len, reverse=True)  # longest first: 黑龙江 before a shorter match
_PLACE = "(?:" + "|".join(_PLACES) + ")(?:省|市|自治区|特别行政区)?"
_PLACE_PREFIX = re.compile("^" + _PLACE)
_PLACE_SUFFIX = re.compile(_PLACE + "$")  # "华宏科技上海分公司": the branch's city follows the name
_PLACE_IN_BRACKETS = re.compile(r"\(\s*" + _PLACE + r"\s*\)")
_CN_SUFFIX = re.compile("(?:股份有限公司|有限责任公司|有限公司|分公司|集团)$")
_EN_SUFFIX = re.compile(r"[\s,.]*\b(?:co\.?,?\s*ltd|company\s+limited|limited|ltd|inc|incorporated|corp|corporation"
                        r"|llc|group)\.?$")
_NOT_WORD = re.compile(r"[\W_]+")
_MIN_LEFT = 2  # never strip a name down to one character: "上海" alone stays "上海"


def name_key(name: str) -> str:
    """The comparison key of a company name: half-width, lower case, no legal suffix, city or punctuation."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = _PLACE_IN_BRACKETS.sub("", text)
    text = _NOT_WORD.sub("", _strip_suffixes(text, branch="分公司" in text))
    return _strip_place(text, _PLACE_PREFIX)


def _strip_suffixes(text: str, branch: bool) -> str:
    while True:
        shorter = _EN_SUFFIX.sub("", _CN_SUFFIX.sub("", text.strip())).strip()
        if branch:
            shorter = _PLACE_SUFFIX.sub("", shorter).strip()
        if shorter == text or len(_NOT_WORD.sub("", shorter)) < _MIN_LEFT:
            return text
        text = shorter


def _strip_place(text: str, place: re.Pattern[str]) -> str:
    rest = place.sub("", text, count=1)
    return rest if len(rest) >= _MIN_LEFT else text
