"""A schematic tile map of Jilin: one tile per prefecture-level division, placed roughly where it
lies (白城 in the north-west, 延边 in the east, 白山 and 通化 in the south), shaded by case count.

A tile map, not boundaries: no openly licensed boundary data for Jilin's divisions could be had
from the package registries here, and tiles read better at 360 px and in print. Static SVG made
at build time: no script, no map tiles, no other host.
"""

from __future__ import annotations

from dataclasses import dataclass

from .index import RegionNode

# (column, row) of each division on a 4 × 4 grid, west to east and north to south.
TILES = {
    "白城市": (0, 0), "松原市": (1, 0),
    "四平市": (0, 1), "长春市": (1, 1), "吉林市": (2, 1), "延边朝鲜族自治州": (3, 1),
    "辽源市": (1, 2), "梅河口市": (2, 2), "长白山保护开发区": (3, 2),
    "通化市": (2, 3), "白山市": (3, 3),
}
SHORT_NAMES = {"延边朝鲜族自治州": "延边州", "长白山保护开发区": "长白山"}
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


def tiles(province: RegionNode) -> list[Tile]:
    counts = {name: node.total for name, node in province.children.items()}
    largest = max(counts.values(), default=0) or 1
    found = []
    for name, (column, row) in TILES.items():
        count = counts.get(name, 0)
        shade = 0 if count == 0 else min(len(SHADES) - 1, 1 + (count * 4 - 1) // largest)
        node = province.children.get(name)
        found.append(Tile(name, SHORT_NAMES.get(name, name.removesuffix("市")), count, node.page if node else None,
                          column * (TILE_WIDTH + GAP), row * (TILE_HEIGHT + GAP), SHADES[shade],
                          "#fff" if shade >= DARK_FROM else "#222"))
    return found


def size() -> tuple[int, int]:
    columns = 1 + max(column for column, _ in TILES.values())
    rows = 1 + max(row for _, row in TILES.values())
    return columns * (TILE_WIDTH + GAP) - GAP, rows * (TILE_HEIGHT + GAP) - GAP
