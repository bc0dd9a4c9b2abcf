"""Number phrases keep their meaning: 多/余/以上 are lower bounds, 万/亿 scale, ranges stay ranges."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casebook.numbers import MULTIPLIERS, QUALIFIERS, NumberPhraseError, parse_quantity, plain


@pytest.mark.parametrize(
    ("phrase", "value", "upper", "unit", "qualifier", "shown"),
    [
        ("6100多个", 6100, None, "个", "至少", "≥ 6,100 个"),
        ("1.1万", 11000, None, "", "", "11,000"),
        ("94.1%以上", 94.1, None, "%", "至少", "≥ 94.1%"),
        ("2.1亿元", 210_000_000, None, "元", "", "210,000,000 元"),
        ("7—8个", 7, 8, "个", "区间", "7–8 个"),
        ("2—4万个", 20000, 40000, "个", "区间", "20,000–40,000 个"),
        ("31.94万余", 319_400, None, "", "至少", "≥ 319,400"),
        ("280余万元", 2_800_000, None, "元", "至少", "≥ 2,800,000 元"),
        ("近8000人次", 8000, None, "人次", "约", "≈ 8,000 人次"),
        ("700平方米以上", 700, None, "平方米", "至少", "≥ 700 平方米"),
        ("６１００多个", 6100, None, "个", "至少", "≥ 6,100 个"),
        ("49.48%", 49.48, None, "%", "", "49.48%"),
        ("3名", 3, None, "名", "", "3 名"),
        ("三名", 3, None, "名", "", "3 名"),
        ("十大类", 10, None, "大类", "", "10 大类"),
        ("近八千人次", 8000, None, "人次", "约", "≈ 8,000 人次"),
        ("一万二千余人", 12000, None, "人", "至少", "≥ 12,000 人"),
    ],
)
def test_phrase_is_normalised(phrase: str, value: float, upper: int | None, unit: str, qualifier: str, shown: str) -> None:
    quantity = parse_quantity(phrase)
    assert plain(quantity.value) == value
    assert (plain(quantity.upper) if quantity.upper is not None else None) == upper
    assert (quantity.unit, quantity.qualifier, quantity.display()) == (unit, qualifier, shown)
    assert quantity.phrase == phrase


@pytest.mark.parametrize("phrase", ["七成半", "", "多个", "5—3个", "约100多个", "3类31个"])
def test_unreadable_phrase_is_refused_with_a_reason(phrase: str) -> None:
    with pytest.raises(NumberPhraseError) as raised:
        parse_quantity(phrase)
    assert phrase in str(raised.value)


numbers = st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False, allow_infinity=False)
units = st.sampled_from(["", "个", "人", "元", "平方米", "人次", "%", "件"])
multipliers = st.sampled_from(["", *MULTIPLIERS])
suffixes = st.sampled_from([q for q in QUALIFIERS if q in ("以上", "以下", "左右")] + [""])


@given(numbers, multipliers, units, suffixes)
def test_round_trip_keeps_value_and_bound(number: Decimal, multiplier: str, unit: str, suffix: str) -> None:
    written = f"{number.normalize():f}{multiplier}{unit}{suffix}"
    quantity = parse_quantity(written)
    assert quantity.value == number * MULTIPLIERS.get(multiplier, 1)
    assert quantity.unit == unit
    assert quantity.qualifier == (QUALIFIERS[suffix] if suffix else "")


@given(numbers, st.sampled_from(["多", "余"]), multipliers, units)
def test_duo_and_yu_are_lower_bounds_wherever_written(number: Decimal, word: str, multiplier: str, unit: str) -> None:
    whole = int(number)
    assert parse_quantity(f"{whole}{word}{multiplier}{unit}").qualifier == "至少"
    assert parse_quantity(f"{whole}{multiplier}{word}{unit}").qualifier == "至少"


@given(st.integers(0, 9999), st.integers(0, 9999), multipliers)
def test_ranges_are_ordered_and_share_the_multiplier(low: int, high: int, multiplier: str) -> None:
    low, high = sorted((low, high))
    quantity = parse_quantity(f"{low}—{high}{multiplier}个")
    scale = MULTIPLIERS.get(multiplier, 1)
    assert (quantity.value, quantity.upper, quantity.qualifier) == (low * scale, high * scale, "区间")
