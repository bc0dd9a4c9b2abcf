"""``casebook``: the editors' command line.

    casebook validate [PATH …]   the same checks the site build runs, every problem at once
    casebook new [--id …]        a new record from the template, asking for what is not given
    casebook check-copy ARTICLE [PATH …]   sentences copied from an article into the records
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .copycheck import LONGEST_ALLOWED, copied_runs, record_texts
from .load import load_casebook, reminders
from .model import LEVELS, REGION_LEVEL_NAMES
from .newrecord import FIELDS, NewRecordError, ask, record_from, write_record
from .problems import InvalidInput, Problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="casebook", description="吉林基层治理案例库：检查和新建案例记录")
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser("validate", help="检查案例记录（与生成站点时的检查完全相同）")
    validate.add_argument("paths", nargs="*", help="只报告这些文件或目录里的问题（默认：全部）")
    validate.add_argument("--cases-dir", default="cases", help="案例目录（默认 cases）")
    validate.add_argument("--format", choices=("text", "github"), default="text",
                          help="github：输出 GitHub 拉取请求的注释格式")
    new = commands.add_parser("new", help="按模板新建一条案例记录（缺的项会逐一询问）")
    new.add_argument("--id", dest="case_id", help="案例编号，如 jiushengci-fengchao")
    new.add_argument("--title", help="标题")
    new.add_argument("--level", help=f"层级：{'、'.join(LEVELS)}")
    new.add_argument("--year", help="年份，如 2022")
    for key, label in list(REGION_LEVEL_NAMES.items())[1:]:  # the province is always 吉林省
        new.add_argument(f"--{key}", help=label)
    new.add_argument("--cases-dir", default="cases", help="案例目录（默认 cases）")
    copy = commands.add_parser("check-copy", help="找出记录里与原文连续 30 个字以上相同的句子")
    copy.add_argument("article", help="原文（UTF-8 文本文件）")
    copy.add_argument("paths", nargs="*", default=["cases"], help="要比对的记录文件或目录（默认 cases）")
    args = parser.parse_args(argv)
    if args.command == "new":
        return _new(args)
    if args.command == "check-copy":
        return _check_copy(Path(args.article), [Path(p) for p in args.paths])
    return _validate(Path(args.cases_dir), args.paths, args.format)


def _new(args: argparse.Namespace) -> int:
    cases_dir = Path(args.cases_dir)
    if not cases_dir.is_dir():
        print(f"找不到案例目录 {cases_dir}（请在项目根目录运行，或用 --cases-dir 指定）", file=sys.stderr)
        return 2
    given = {key: value for key, _, _ in FIELDS if (value := getattr(args, key))}
    missing = [key for key, _, required in FIELDS if required and key not in given]
    if missing and not sys.stdin.isatty():
        flags = "、".join("--id" if key == "case_id" else f"--{key}" for key in missing)
        print(f"缺少 {flags}（不在终端里运行时，请用参数给出）", file=sys.stderr)
        return 2
    try:
        # Flags for everything required: no questions; places not given are simply unknown.
        fields = ask(input, given) if missing else {key: given.get(key, "") for key, _, _ in FIELDS}
        path = write_record(record_from(fields), cases_dir)
    except NewRecordError as error:
        print(error, file=sys.stderr)
        return 2
    except (EOFError, KeyboardInterrupt):
        print("\n已取消，没有写入文件。", file=sys.stderr)
        return 1
    print(f"已新建 {path}。请按文件里的注释填写，然后运行 make validate 检查。")
    return 0


def _check_copy(article: Path, paths: list[Path]) -> int:
    missing = [path for path in (article, *paths) if not path.exists()]
    if missing:
        print(f"找不到 {missing[0]}")
        return 2
    try:
        text = article.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        print(f"{article} 不是 UTF-8 文本：请把原文另存为 UTF-8 编码的 .txt 文件")
        return 2
    runs = copied_runs(text, record_texts(paths, Path.cwd()))
    for run in runs:
        print(run)
    if runs:
        print(f"共 {len(runs)} 处与原文相同。事实和数字可以照录，句子请用自己的话重写。")
        return 1
    print(f"没有与 {article.name} 连续 {LONGEST_ALLOWED + 1} 个字以上相同的句子。")
    return 0


def _validate(cases_dir: Path, paths: list[str], output: str) -> int:
    """Every message on standard output, in file order, the summary last."""
    if not cases_dir.is_dir():
        print(f"找不到案例目录 {cases_dir}（请在项目根目录运行，或用 --cases-dir 指定）")
        return 2
    try:
        casebook = load_casebook(cases_dir, base=Path.cwd())
    except InvalidInput as error:
        problems = [p for p in error.problems if _selected(p, paths)]
        for problem in problems:
            print(_github(problem) if output == "github" else str(problem))
        if problems:
            print(f"共 {len(problems)} 处问题，请按上面的文件和行号逐一修改。")
            return 1
        print("所选文件没有问题（其他文件有问题，运行 casebook validate 查看全部）。")
        return 0
    for warning in reminders(casebook):
        if _selected(warning, paths):
            print(_github(warning, "warning") if output == "github" else f"{warning}（提醒）")
    print(f"检查通过：{len(casebook.cases)} 个案例、{casebook.statistics_count} 条数据、"
          f"{len(casebook.practices)} 种做法、{len(casebook.sources)} 篇来源。")
    return 0


def _selected(problem: Problem, paths: list[str]) -> bool:
    if not paths:
        return True
    # Paths as written, links not followed: a link's problem is filed under the link itself.
    here = Path(os.path.abspath(problem.file))
    return any(here == Path(os.path.abspath(p)) or Path(os.path.abspath(p)) in here.parents for p in paths)


def _github(problem: Problem, level: str = "error") -> str:
    # Workflow commands: the message must not contain raw newlines or '%'.
    message = f"{problem.field}: {problem.message}" if problem.field else problem.message
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return f"::{level} file={problem.file},line={problem.line},col={problem.column}::{message}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
