"""提交案例 (/edit/): a contributor without git fills a form on a phone and gets a record that `casebook validate`
accepts and that builds into its page. The form is generated from the schema; the file is written as `casebook new`
writes it; nothing typed runs as code; a draft survives a closed tab."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from casebook.editor import SCHEMA_FROM_RECORD
from casebook.newrecord import record_text, skeleton

from .conftest import EXAMPLE_RECORD, ROOT, Project, copy_project
from .test_browser import serving

EDITOR_SCRIPT = ROOT / "plugins" / "casebook" / "assets" / "editor.js"
HOSTILE = "</textarea><script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">\"'#: ]"


def js_record_text(records: list[dict[str, Any]]) -> list[str]:
    """What the page's writer (editor.js, in Node.js) makes of each record."""
    script = ("const w = require(process.argv[1]); const [records, skeleton] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(records.map(r => w.recordText(r, skeleton))));")
    result = subprocess.run(["node", "-e", script, str(EDITOR_SCRIPT)], input=json.dumps([records, skeleton(SCHEMA_FROM_RECORD)]),
                            capture_output=True, text=True, check=True)
    return list(json.loads(result.stdout))


def test_the_page_writes_a_record_as_casebook_new_does() -> None:
    example = yaml.safe_load(EXAMPLE_RECORD.read_text(encoding="utf-8"))
    example["statistics"][0]["as_of"] = str(example["statistics"][0]["as_of"])
    fuller = {**example, "since": 2019, "conditions": ["有一批热心的退休党员"], "cautions": [HOSTILE],
              "title": HOSTILE, "measures": [{"title": "多行\n说明", "text": "第一行\n第二行：冒号 # 井号"}]}
    new = {"id": "xin-anli", "title": "新案例", "region": {"province": "吉林省", "city": "长春市"}, "level": "社区", "year": 2024}
    records = [example, fuller, new, {}]
    ours = [record_text(record, SCHEMA_FROM_RECORD) for record in records]
    assert js_record_text(records) == ours
    for record, text in zip(records[:3], ours):  # what was typed is what YAML reads back
        read = yaml.safe_load(text)
        assert {key: read[key] for key in record} == record


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The casebook's registries, no records: where a contributor's file is checked and built."""
    return copy_project(tmp_path / "project", with_records=False)


@pytest.fixture
def editor(chromium: Any, built_site: Project) -> Iterator[Any]:
    with serving(built_site.path / "site") as url:
        context = chromium.new_context(viewport={"width": 360, "height": 800}, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        page.troubles = []
        page.on("pageerror", lambda error: page.troubles.append(str(error)))
        page.on("dialog", lambda dialog: (page.troubles.append(f"dialog {dialog.message}"), dialog.dismiss()))
        page.on("request", lambda request: request.url.startswith(url) or page.troubles.append(f"off site {request.url}"))
        page.goto(url + "edit/")
        page.wait_for_selector(".cb-editor__form")
        page.site = url
        yield page
        context.close()


def field(page: Any, path: str) -> Any:
    return page.locator(f'[data-path="{path}"]')


def fill(page: Any, path: str, text: str) -> None:
    field(page, path).locator("input, textarea").first.fill(text)


def choose(page: Any, path: str, typed: str, pick: str) -> None:
    """Type part of a name into a registry field and pick the suggestion that names ``pick``."""
    box = field(page, path)
    box.locator("input").first.fill(typed)
    box.locator(".cb-suggest__item", has=page.locator("strong", has_text=re.compile(f"^{re.escape(pick)}$"))).click()


def name_the_case(page: Any) -> None:
    """A real-looking case's title, id, city, level and year."""
    fill(page, "title", "船营区北山社区“楼栋议事会”")
    fill(page, "id", "beishan-loudong-yishi")
    field(page, "region.city").locator("select").select_option("吉林市")
    field(page, "level").locator("select").select_option("社区")
    fill(page, "year", "2024")


def tell_the_case(page: Any) -> None:
    """Its practice and problem, chosen from the suggestions, and its story: summary, background, a measure, an outcome."""
    choose(page, "practices", "蜂巢", "蜂巢自治")
    choose(page, "problems", "没人管", "老旧小区没人管")
    fill(page, "summary", "北山社区按楼栋组织居民议事，楼里的事由住户商量着办。")
    fill(page, "background", "老楼多，公共事务长期没人牵头。")
    fill(page, "measures.0.title", "按楼栋议事")
    fill(page, "measures.0.text", "每栋楼推选楼长，召集住户商量楼道卫生和维修。")
    fill(page, "outcomes.0", "楼道环境有了人管。")


def submitted(project: Project, record: str) -> str:
    """The file the form wrote, where it says it belongs: `casebook validate` accepts it, and the case page it builds."""
    project.add_record("jilin-shi/beishan-loudong-yishi.yml", record)
    checked = project.validate()
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = project.build_command()
    assert built.returncode == 0, built.stderr
    return (project.path / "site" / "cases" / "beishan-loudong-yishi" / "index.html").read_text(encoding="utf-8")


def error_of(page: Any, path: str) -> str:
    page.wait_for_timeout(400)  # the check runs a moment after the last keystroke
    return str(field(page, path).locator(":scope > .cb-field__error").inner_text())


@pytest.mark.browser
def test_an_editor_on_a_phone_writes_a_record_that_validates_and_builds(editor: Any, project: Project) -> None:
    page = editor
    name_the_case(page)
    fill(page, "region.county", "船营区")
    fill(page, "region.community", "北山社区")
    practices = field(page, "practices").locator("input")
    practices.fill("蜂巢自制")
    practices.press("Enter")
    assert "未知的做法「蜂巢自制」，是不是：" in error_of(page, "practices") and "蜂巢自治" in error_of(page, "practices")
    field(page, "practices").get_by_role("button", name="去掉蜂巢自制").click()
    tell_the_case(page)
    choose(page, "sources", "jlrb-2022-gaoqing", "jlrb-2022-gaoqing-hongqi")
    field(page, "statistics").get_by_role("button", name=re.compile("添加一条")).click()
    choose(page, "statistics.0.metric", "套管小区", "套管小区占比")
    fill(page, "statistics.0.value", "很多")
    assert "读不出数值「很多」" in error_of(page, "statistics.0.value")
    fill(page, "statistics.0.value", "75%以上")
    assert error_of(page, "statistics.0.value") == ""
    assert "规范值：≥ 75%" in field(page, "statistics.0.value").inner_text()
    fill(page, "statistics.0.as_of", "2022-11")
    choose(page, "statistics.0.source", "jlrb-2022-gaoqing", "jlrb-2022-gaoqing-hongqi")
    page.wait_for_selector(".cb-editor__ok")
    assert page.locator(".cb-editor__path code").inner_text() == "cases/records/jilin-shi/beishan-loudong-yishi.yml"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with page.expect_download() as downloaded:
        page.get_by_role("button", name="下载文件").click()
    assert downloaded.value.suggested_filename == "beishan-loudong-yishi.yml"
    text = Path(downloaded.value.path()).read_text(encoding="utf-8")
    assert text == page.get_by_label("案例记录文件的内容（YAML）").input_value()
    submit = page.get_by_role("link", name="在 GitHub 上提交").get_attribute("href")
    assert submit.startswith("https://github.com/jilin-casebook/casebook/new/main/cases/records/jilin-shi?filename=")
    assert page.troubles == []

    case_page = submitted(project, text)
    assert "船营区北山社区“楼栋议事会”" in case_page and "≥ 75%" in case_page


@pytest.mark.browser
def test_every_field_of_the_schema_is_in_the_form_and_a_new_one_appears(chromium: Any, built_site: Project) -> None:
    schema = json.loads((built_site.path / "site" / "schema" / "case.schema.json").read_text(encoding="utf-8"))
    with serving(built_site.path / "site") as url:
        context = chromium.new_context(viewport={"width": 360, "height": 800})
        page = context.new_page()

        def with_new_field(route: Any) -> None:
            data = json.loads(route.fetch().text())
            data["schema"]["properties"]["contact"] = {"title": "联系人（测试用新字段）", "type": "string", "maxLength": 40}
            data["schema"]["properties"]["measures"]["items"]["properties"]["cost"] = {"title": "花费", "type": "string"}
            route.fulfill(json=data)

        page.route("**/edit/editor.json", with_new_field)
        page.goto(url + "edit/")
        page.wait_for_selector(".cb-editor__form")
        for name in ("statistics", "conditions", "cautions"):  # optional lists start empty: open one item of each
            field(page, name).get_by_role("button", name=re.compile("添加一条")).click()
        shown = set(page.locator("[data-path]").evaluate_all("boxes => boxes.map(b => b.dataset.path)"))
        expected = {"contact", "measures.0.cost"}
        for name, node in schema["properties"].items():
            expected.add(name)
            expected.update(f"{name}.{sub}" for sub in node.get("properties", {}))
            expected.update(f"{name}.0.{sub}" for sub in node.get("items", {}).get("properties", {}))
        assert expected <= shown, expected - shown
        assert page.get_by_label("联系人（测试用新字段）（可选）").count() == 1
        context.close()


@pytest.mark.browser
def test_what_is_typed_stays_text_and_a_draft_survives_a_closed_tab(editor: Any) -> None:
    page = editor
    boxes = page.locator(".cb-editor__form input[type=text], .cb-editor__form input[type=search], .cb-editor__form textarea")
    for number in range(boxes.count()):
        boxes.nth(number).fill(HOSTILE)
        boxes.nth(number).press("Enter")
    page.wait_for_timeout(500)
    assert page.evaluate("window.pwned") is None
    assert page.locator(".cb-editor script, .cb-editor img").count() == 0
    assert HOSTILE in page.locator(".cb-editor__summary").inner_text()  # shown in the messages, as text
    written = page.get_by_label("案例记录文件的内容（YAML）").input_value()
    assert yaml.safe_load(written)["title"] == HOSTILE
    assert page.troubles == []
    address, context = page.url, page.context
    page.close()  # the tab closed; the same browser opens the page again
    again = context.new_page()
    again.goto(address)
    again.wait_for_selector(".cb-editor__form")
    assert field(again, "title").locator("input").input_value() == HOSTILE
    assert "已恢复" in again.locator(".cb-editor__notice").inner_text()
    assert again.evaluate("window.pwned") is None


NEW_SOURCES = [  # entries a contributor registers in the form; (a) schema faults only, (b) what validate.sources checks
    [{"id": "xin-ziliao-1", "publication": "吉林日报", "title": "新文章", "author": "记者", "date": "2024-05",
      "url": "https://example.org/a"},  # a URL needs its access date
     {"id": "xin-ziliao-2", "publication": "吉", "title": "新文章二", "author": "记者", "date": "2024",
      "date_estimated": True}],  # too short a publication; an estimated date needs date_note
    [{"id": "xin-ziliao-3", "publication": "吉林日报", "title": "新文章三", "author": "记者", "date": "2023-02-30"},
     {"id": "jlrb-2022-gaoqing-hongqi", "publication": "吉林日报", "title": "重复", "author": "记者", "date": "2022"}],
]


def test_new_sources_have_the_problems_casebook_validate_reports(project: Project) -> None:
    from casebook.editor import data
    from casebook.load import load_casebook
    from casebook.problems import InvalidInput

    registry = project.path / "cases" / "sources.yml"
    registered = registry.read_text(encoding="utf-8")
    editor_data = json.loads(data(load_casebook(project.path / "cases", base=project.path), None))
    script = ("const c = require(process.argv[1]); const [sets, data] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
              "process.stdout.write(JSON.stringify(sets.map(s => c.checkSources(s, data))));")
    found = subprocess.run(["node", "-e", script, str(EDITOR_SCRIPT.with_name("record-check.js"))],
                           input=json.dumps([NEW_SOURCES, editor_data]), capture_output=True, text=True, check=True)
    browser = json.loads(found.stdout)
    for entries, answer in zip(NEW_SOURCES, browser):
        registry.write_text(registered + yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
        with pytest.raises(InvalidInput) as raised:
            load_casebook(project.path / "cases", base=project.path)
        python = sorted((p.field.split(" · ", 1)[1], p.message) for p in raised.value.problems if p.file.endswith("sources.yml"))
        assert sorted((problem["label"].split(" · ", 1)[1], problem["message"]) for problem in answer) == python
        assert python


@pytest.mark.browser
def test_a_new_source_is_registered_in_the_form_and_the_case_cites_it(editor: Any, project: Project) -> None:
    page = editor
    name_the_case(page)
    tell_the_case(page)
    field(page, "newSources").get_by_role("button", name="添加一条新资料").click()
    fill(page, "newSources.0.id", "jlrb-2024-beishan-loudong")
    fill(page, "newSources.0.publication", "吉林日报")
    fill(page, "newSources.0.title", "楼栋里的议事会")
    fill(page, "newSources.0.author", "本报记者")
    fill(page, "newSources.0.date", "2024-05-12")
    fill(page, "newSources.0.url", "https://example.org/beishan")
    error_of(page, "newSources.0.url")  # the check has run: a URL asks for its access date, in the list under the form
    listed = page.locator(".cb-editor__summary").inner_text()
    assert "新资料 · 第1项 · 访问日期（accessed）：缺少必填字段，请补上「accessed:」" in listed
    fill(page, "newSources.0.accessed", "2026-12-03")
    choose(page, "sources", "jlrb-2024-beishan", "jlrb-2024-beishan-loudong")
    page.wait_for_selector(".cb-editor__ok")
    record = page.get_by_label("案例记录文件的内容（YAML）").input_value()
    lines = page.get_by_label("要加到 cases/sources.yml 末尾的内容").input_value()
    assert "newSources" not in record and "jlrb-2024-beishan-loudong" in record
    assert yaml.safe_load(lines)[0]["title"] == "楼栋里的议事会"
    assert page.troubles == []

    registry = project.path / "cases" / "sources.yml"
    registry.write_text(registry.read_text(encoding="utf-8") + lines, encoding="utf-8")
    assert "楼栋里的议事会" in submitted(project, record)
