"""Normalise number phrases the way Chinese newspapers write them.

``6100多个`` → 6100, 至少, 个;  ``1.1万`` → 11000;  ``94.1%以上`` → 94.1, 至少, %;
``2.1亿元`` → 210000000, 元;  ``7—8个`` → 7 to 8, 区间;  ``近8000人次`` → 8000, 约.
The phrase itself is always kept: the normalised value says what it means, never more.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from dataclasses import dataclass
from decimal import Decimal


MULTIPLIERS = {"十": 10, "百": 100, "千": 1_000, "万": 10_000, "亿": 100_000_000}

# Each written qualifier maps to the bound it expresses.
AT_LEAST, ABOUT, AT_MOST, RANGE, EXACT = "至少", "约", "至多", "区间", ""
QUALIFIERS = {
    "多": AT_LEAST, "余": AT_LEAST, "以上": AT_LEAST, "超过": AT_LEAST, "逾": AT_LEAST, "突破": AT_LEAST,
    "约": ABOUT, "近": ABOUT, "将近": ABOUT, "大约": ABOUT, "左右": ABOUT,
    "以下": AT_MOST, "不足": AT_MOST, "不到": AT_MOST, "以内": AT_MOST,
}
SYMBOLS = {AT_LEAST: "≥ ", ABOUT: "≈ ", AT_MOST: "≤ ", RANGE: "", EXACT: ""}
# What each bound says about the normalised value, for readers of the exported data.
MEANINGS = {AT_LEAST: "下限：实际数不少于规范值", ABOUT: "约数：实际数在规范值上下", AT_MOST: "上限：实际数不超过规范值",
            RANGE: "区间：实际数在规范值与上限之间", EXACT: "确数：原文没有限定词"}

_SUFFIX_ONLY = ("多", "余", "以上", "以下", "左右", "以内")
_PREFIX = "|".join(sorted((q for q in QUALIFIERS if q not in _SUFFIX_ONLY), key=len, reverse=True))
_SUFFIX = "以上|以下|左右|以内|多|余"
_NUMBER = r"\d+(?:\.\d+)?"
_PATTERN = re.compile(
    rf"^(?P<pre>{_PREFIX})?"
    rf"(?P<num>{_NUMBER})(?P<q1>多|余)?(?P<mul>[十百千万亿]*)"
    rf"(?:[—–\-~～至到](?P<num2>{_NUMBER})(?P<mul2>[十百千万亿]*))?"
    rf"(?P<q2>多|余)?"
    rf"(?P<unit>[^\d]*?)"
    rf"(?P<post>{_SUFFIX})?$"
)


_RATIO_WORDS = ("成", "倍", "折")
_DIGITS = "一二三四五六七八九两"
LARGEST = Decimal(10) ** 16


class NumberPhraseError(ValueError):
    """The phrase does not start with a number we can read."""


@dataclass(frozen=True)
class Quantity:
    """A number phrase with its normalised value; ``upper`` is set for ranges only."""

    phrase: str
    value: Decimal
    unit: str
    qualifier: str
    upper: Decimal | None = None

    def display(self) -> str:
        """Human form for tables: ``≥ 6,100 个``, ``7–8 个``, ``94.1%``."""
        number = _grouped(self.value)
        if self.upper is not None:
            number = f"{number}–{_grouped(self.upper)}"
        unit = self.unit if self.unit in ("%", "") else f" {self.unit}"
        return f"{SYMBOLS[self.qualifier]}{number}{unit}"


def parse_quantity(phrase: str) -> Quantity:
    """Read a phrase such as ``31.94万余`` or ``700平方米以上``."""
    text = _without_separators(phrase, unicodedata.normalize("NFKC", phrase).replace(" ", ""))
    if re.search(r"\d[eE][+-]?\d", text):
        raise NumberPhraseError(f"「{phrase}」是科学计数法：请按原文写，如 8379人、1.1万人")
    if not re.search(r"\d", text):
        text = _arabic(phrase, text)
    match = _PATTERN.match(text)
    if not match:
        raise NumberPhraseError(
            f"读不出数值「{phrase}」：应是一个数加单位，如 6100多个、1.1万、94.1%以上、7—8个、三名"
            "（含两个数的说法请拆成两条数据，或把其中一个写进 note）"
        )
    # "2—4万" scales both ends by the multiplier written once after the range.
    if match["unit"].startswith(_RATIO_WORDS):
        # 七成半 is 75 %, 一倍 a doubling: a count with unit 成 would be a silently wrong number.
        raise NumberPhraseError(f"「{phrase}」是比例或倍数的说法，请换算成百分比写入数值（如 七成半 → 75%），原话写进 note")
    value = _scaled(match["num"], match["mul"] or match["mul2"] or "")
    upper = _scaled(match["num2"], match["mul2"] or match["mul"]) if match["num2"] else None
    if max(value, upper or 0) > LARGEST:
        raise NumberPhraseError(f"「{phrase}」大得不像资料里的数字（超过千万亿），请核对原文")
    written = [q for q in (match["pre"], match["q1"], match["q2"], match["post"]) if q]
    if upper is not None:
        if upper < value:
            raise NumberPhraseError(f"区间「{phrase}」的上限小于下限")
        qualifier = RANGE
    elif len({QUALIFIERS[q] for q in written}) > 1:
        raise NumberPhraseError(f"「{phrase}」同时写了相互矛盾的限定词：{'、'.join(written)}")
    else:
        qualifier = QUALIFIERS[written[0]] if written else EXACT
    return Quantity(phrase=phrase, value=value, unit=match["unit"], qualifier=qualifier, upper=upper)


def _without_separators(phrase: str, text: str) -> str:
    """Drop thousands separators, which must stand every three digits (3,438 yes, 4,46 no)."""
    for number in re.findall(r"[\d,]*\d,[\d,]*", text):
        if not re.fullmatch(r"\d{1,3}(,\d{3})+", number):
            raise NumberPhraseError(f"「{phrase}」里的逗号位置不对：千位分隔符应每三位一个（如 3,438个），也可以不写逗号")
    return text.replace(",", "")


def _arabic(phrase: str, text: str) -> str:
    """Chinese numerals (三名, 十大类, 近八千人次) as digits. Approximate counts have no single value:
    cn2an would read 五六个 as 56 and 十几个 as 10."""
    if "几" in text or re.search(f"[{_DIGITS}]{{2}}", text):
        raise NumberPhraseError(f"「{phrase}」是约数，没有确定的值：请写成区间（如 5—6个、11—19个），原话写进 note")
    import cn2an  # only here: it takes a fifth of a second to import, and most phrases have digits
    with warnings.catch_warnings():  # its warning names a Python file; our message says what to do
        warnings.simplefilter("ignore")
        return cn2an.transform(text, "cn2an")


def plain(number: Decimal) -> int | float:
    """The JSON form of a value: an int when whole, else a float."""
    return int(number) if number == number.to_integral_value() else float(number)


def _scaled(digits: str, multipliers: str) -> Decimal:
    value = Decimal(digits)
    for char in multipliers:
        value *= MULTIPLIERS[char]
    return value


def _grouped(number: Decimal) -> str:
    value = plain(number)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.{_decimals(number)}f}"


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
