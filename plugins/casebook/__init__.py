"""吉林基层治理案例库的核心：与 MkDocs 无关的案例模型、校验、索引、渲染和导出。

Data flows one way, one module per step:

    yamlsource  read YAML safely, remembering the line of every value
    schema      check each document against the JSON Schema (messages in Chinese)
    loader      build the model (model, numbers) and check what crosses files
    index       taxonomies: practice → cases, region tree, levels, years
    render      Markdown pages from the Jinja templates in templates/
    references  expand [[case:…]] and [[casebook:…]] in hand-written pages
    export      data/cases.json, data/statistics.json, data/statistics.csv

`casebook.mkdocs` is the thin adapter that calls these at MkDocs events;
`casebook.cli` is the editors' command line.
"""
