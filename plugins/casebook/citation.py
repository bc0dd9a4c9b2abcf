"""References in GB/T 7714-2015 form: newspaper articles [N] (read online: [N/OL], with the access
date and address), pages of online outlets [EB/OL]."""

from __future__ import annotations

from .model import Source


def source_date(source: Source) -> str:
    """``2022-11-25``, ``2022-11`` or ``2022``, marked when it is inferred."""
    return f"{source.date}（推断）" if source.date_estimated else source.date


def reference(source: Source) -> str:
    """``作者. 题名:其他题名信息[N]. 报纸名, 出版日期(版次).`` for a newspaper article; read online,
    ``…[N/OL]. 报纸名, 出版日期(版次)[引用日期]. 网址.``; a page of an outlet that is not a newspaper,
    ``作者. 题名[EB/OL]. 网站名, 发布日期[引用日期]. 网址.``"""
    page = f"({source.page})" if source.page else ""
    title = f"{source.title}:{source.subtitle}" if source.subtitle else source.title
    if not source.url:
        return f"{source.author}. {title}[N]. {source.publication}, {source_date(source)}{page}."
    kind = "N/OL" if source.page or source.publication.endswith("报") else "EB/OL"
    return (f"{source.author}. {title}[{kind}]. {source.publication}, {source_date(source)}{page}"
            f"[{source.accessed}]. {source.url}.")


SITE_NAME = "吉林基层治理案例库"
ACCESS_DATE = "引用日期"


def web(title: str, address: str) -> str:
    """``主要责任者. 题名[EB/OL]. [引用日期]. 网址.`` The reader's own access date replaces the placeholder."""
    return f"{SITE_NAME}. {title}[EB/OL]. [{ACCESS_DATE}]. {address}."
