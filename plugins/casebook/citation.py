"""References in GB/T 7714-2015 form."""

from __future__ import annotations

from .model import Source


def source_date(source: Source) -> str:
    """``2022-11-25``, ``2022-11`` or ``2022``, marked when it is inferred."""
    return f"{source.date}（推断）" if source.date_estimated else source.date


def newspaper(source: Source) -> str:
    """``作者. 题名:其他题名信息[N]. 报纸名, 出版日期(版次).`` — [N] is the type code for newspaper articles."""
    page = f"({source.page})" if source.page else ""
    title = f"{source.title}:{source.subtitle}" if source.subtitle else source.title
    return f"{source.author}. {title}[N]. {source.publication}, {source_date(source)}{page}."


SITE_NAME = "吉林基层治理案例库"
ACCESS_DATE = "引用日期"


def web(title: str, address: str) -> str:
    """``主要责任者. 题名[EB/OL]. [引用日期]. 网址.`` The reader's own access date replaces the placeholder."""
    return f"{SITE_NAME}. {title}[EB/OL]. [{ACCESS_DATE}]. {address}."
