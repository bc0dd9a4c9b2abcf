"""``templates_dir``: a site's own copy of a packaged template replaces it, with the same values and escaping."""

from __future__ import annotations

from importlib import resources

from tests.conftest import Project, hostile_record

OPTION = "      cases_dir: cases\n"


def test_a_template_in_templates_dir_replaces_the_packaged_one(project: Project) -> None:
    packaged = resources.files("casebook").joinpath("templates", "pages", "case.html.j2").read_text(encoding="utf-8")
    own = project.path / "casebook-templates" / "pages"
    own.mkdir(parents=True)
    # The site's version adds a line under the title; everything else stays the packaged template's.
    own_line = "</h1>\n<p class=\"own-line\">本站自定：{{ case.title }}</p>\n"
    (own / "case.html.j2").write_text(packaged.replace("</h1>\n", own_line, 1), encoding="utf-8")
    config = project.path / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert OPTION in text
    config.write_text(text.replace(OPTION, OPTION + "      templates_dir: casebook-templates\n"), encoding="utf-8")
    project.add_record("changchun/jiushengci-fengchao.yml", hostile_record())

    result = project.build()
    assert result.returncode == 0, result.stderr
    page = project.page("cases/jiushengci-fengchao/index.html")
    assert '<p class="own-line">本站自定：&lt;script&gt;alert(1)&lt;/script&gt;</p>' in page
    assert "<script>alert(1)" not in page
    # Templates it does not override are still the packaged ones.
    assert "cb-cite" in page and project.page("browse/index.html").count("own-line") == 0
