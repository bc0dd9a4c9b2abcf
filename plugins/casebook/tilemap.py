"""Schematic tile maps: one tile per division of a place, placed roughly where it lies, shaded by case
count. Jilin's prefecture-level divisions (白城 in the north-west, 延边 in the east, 白山 and 通化 in the
south), and Changchun's districts, counties and development zones.

A tile map, not boundaries: no openly licensed boundary data for Jilin's divisions could be had
from the package registries here, and tiles read better at 360 px and in print. Static SVG made
at build time: no script, no map tiles, no other host.
"""

from __future__ import annotations

from dataclasses import dataclass

from .taxonomy import RegionNode

# (column, row) of each division on a grid, west to east and north to south, by the place it divides.
LAYOUTS = {
    "吉林省": {
        "白城市": (0, 0), "松原市": (1, 0),
        "四平市": (0, 1), "长春市": (1, 1), "吉林市": (2, 1), "延边朝鲜族自治州": (3, 1),
        "辽源市": (1, 2), "梅河口市": (2, 2), "长白山保护开发区": (3, 2),
        "通化市": (2, 3), "白山市": (3, 3),
    },
    "长春市": {
        "农安县": (1, 0), "德惠市": (2, 0), "榆树市": (3, 0),
        "公主岭市": (0, 1), "绿园区": (1, 1), "宽城区": (2, 1), "九台区": (3, 1),
        "长春汽车经济技术开发区": (0, 2), "朝阳区": (1, 2), "南关区": (2, 2), "二道区": (3, 2), "长春经济技术开发区": (4, 2),
        "长春高新技术产业开发区": (1, 3), "长春净月高新技术产业开发区": (2, 3), "双阳区": (3, 3),
    },
}
SHORT_NAMES = {"延边朝鲜族自治州": "延边州", "长白山保护开发区": "长白山", "长春汽车经济技术开发区": "汽开区",
               "长春经济技术开发区": "经开区", "长春高新技术产业开发区": "高新区", "长春净月高新技术产业开发区": "净月区"}
TILE_WIDTH, TILE_HEIGHT, GAP = 80, 56, 6
SHADES = ("#f5f5f5", "#f9d3d3", "#ef9a9a", "#d84343", "#b71c1c")  # none, then quarters of the largest count
DARK_FROM = 3  # shades from here on carry white text (contrast ≥ 4.5:1)


@dataclass(frozen=True)
class Tile:
    name: str
    label: str
    count: int
    page: str | None
    x: int
    y: int
    fill: str
    text: str


def tiles(place: RegionNode) -> list[Tile]:
    """The tiles of the divisions of ``place`` (a key of LAYOUTS), with their case counts."""
    counts = {name: node.total for name, node in place.children.items()}
    largest = max(counts.values(), default=0) or 1
    found = []
    for name, (column, row) in LAYOUTS[place.name].items():
        count = counts.get(name, 0)
        shade = 0 if count == 0 else min(len(SHADES) - 1, 1 + (count * 4 - 1) // largest)
        node = place.children.get(name)
        label = SHORT_NAMES.get(name, name[:-1] if name[-1] in "市区县" and len(name) > 2 else name)
        found.append(Tile(name, label, count, node.page if node else None, column * (TILE_WIDTH + GAP),
                          row * (TILE_HEIGHT + GAP), SHADES[shade], "#fff" if shade >= DARK_FROM else "#222"))
    return found


def size(place_name: str) -> tuple[int, int]:
    columns = 1 + max(column for column, _ in LAYOUTS[place_name].values())
    rows = 1 + max(row for _, row in LAYOUTS[place_name].values())
    return columns * (TILE_WIDTH + GAP) - GAP, rows * (TILE_HEIGHT + GAP) - GAP
