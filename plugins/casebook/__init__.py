"""吉林基层治理案例库的核心：与 MkDocs 无关的案例模型、校验、索引、渲染和导出。

Data flows one way, one module per step:

    layout, yamlsource, load   find every file under cases/, read YAML safely (with the line of every value)
    schema, validate, numbers  check each document and what crosses files; build the model (model)
    taxonomy, figures, trust   practices, problems, regions, levels, years, related cases; data points
    plan                       every page the site gets and the values its template shows (pure)
    render                     HTML pages from the Jinja templates in templates/
    publish                    every other file: export, datapackage, citation_data, compare, offline
    search, references         the search index; [[case:…]] and [[casebook:…]] in hand-written pages

`casebook.mkdocs` is the thin adapter that calls these at MkDocs events;
`casebook.cli` is the editors' command line.
"""
