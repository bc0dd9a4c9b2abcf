"""Where files under ``cases/`` (and ``docs/``) belong, checked before any file is opened.

A pull request can carry anything: a symbolic link pointing at a file outside the repository,
a record saved beside the registries, a city's record in another city's folder. Links are
refused by name and never followed, so no message can show what they point at.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

from .model import Casebook
from .problems import Problem
from .schema import city_folders

SOURCES_FILE = "sources.yml"
PRACTICES_FILE = "practices.yml"
PROBLEMS_FILE = "problems.yml"
REDIRECTS_FILE = "redirects.yml"
METRICS_FILE = "metrics.yml"
REGISTRIES = (SOURCES_FILE, PRACTICES_FILE, PROBLEMS_FILE, METRICS_FILE, REDIRECTS_FILE)
RECORDS_DIR = "records"
RECORD_SUFFIXES = (".yml", ".yaml")
PROVINCE_FOLDER = "sheng"

SYMLINK = "这是符号链接（快捷方式），出于安全不会打开：请换成普通文件"


def display(file: Path, base: Path) -> str:
    """``file`` relative to ``base`` as written, links not followed: a message names the link, not its target."""
    path, start = os.path.abspath(file), os.path.abspath(base)
    return Path(os.path.relpath(path, start)).as_posix() if path.startswith(start + os.sep) else Path(path).as_posix()


def survey(root: Path, base: Path) -> tuple[list[Path], list[Problem]]:
    """The record files under ``root/records`` in a stable order, and a problem for every link and
    for every YAML file that is neither a record nor a registry."""
    if root.is_symlink():
        return [], [Problem(display(root, base), 1, 1, "", SYMLINK)]
    records: list[Path] = []
    problems: list[Problem] = []
    for file in _files(root, base, problems):
        in_records = root / RECORDS_DIR in file.parents
        if in_records and file.suffix in RECORD_SUFFIXES:
            records.append(file)
        elif in_records:
            problems.append(Problem(display(file, base), 1, 1, "",
                                    "cases/records/ 里只放 .yml 案例记录：请改成 .yml 文件，或移出这个文件夹"))
        elif file.suffix in RECORD_SUFFIXES and not (file.parent == root and file.name in REGISTRIES):
            problems.append(Problem(display(file, base), 1, 1, "", (
                f"这个 YAML 文件既不是案例记录，也不是登记表（{'、'.join(REGISTRIES)}）："
                "案例记录请放在 cases/records/<城市文件夹>/ 下，如 cases/records/changchun/")))
    return records, problems


def symlinks(folder: Path, base: Path) -> list[Problem]:
    """Every symbolic link under ``folder``, by name; none is followed or opened."""
    problems: list[Problem] = []
    list(_files(folder, base, problems))  # walked only for the links it reports
    return problems


def _files(folder: Path, base: Path, problems: list[Problem]) -> Iterator[Path]:
    """The plain files under ``folder`` in a stable order (dot files skipped); each link is a problem."""
    for here, subfolders, files in os.walk(folder):  # links to folders are listed, never entered
        subfolders.sort()
        for name in sorted(subfolders + files):
            path = Path(here) / name
            if path.is_symlink():
                problems.append(Problem(display(path, base), 1, 1, "", SYMLINK))
            elif name in files and not name.startswith("."):
                yield path


def city_folder(city: str | None) -> str:
    """The folder under ``records/`` where a city's records live (province-wide ones: ``sheng``)."""
    return city_folders().get(city, PROVINCE_FOLDER) if city else PROVINCE_FOLDER


def misplaced(casebook: Casebook) -> list[Problem]:
    """A warning for each record that is not in its city's folder."""
    warnings = []
    for case in casebook.cases:
        folder = city_folder(case.region.city)
        if Path(case.file).parent.name != folder:
            where = case.region.city or "全省"
            warnings.append(Problem(case.file, 1, 1, "", (
                f"{where}的案例应放在 cases/records/{folder}/ 文件夹里，请把这个文件移过去")))
    return sorted(warnings)
