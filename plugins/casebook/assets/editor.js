/* 提交案例: a case record built from a form, in the browser.
 *
 * The form is generated from the case schema in edit/editor.json (casebook/editor.py): every property becomes a
 * field, by its type; "x-vocabulary" names the registry a field chooses from (做法, 问题, 指标, 来源). The record
 * is checked as the editor types by record-check.js, with the rules and messages of `casebook validate`, and written
 * into the record template (the "skeleton", markers ⟦name⟧) the way `casebook new` writes it (newrecord.py).
 * Plain ES2017, no libraries: it runs in WeChat's browser. Nothing typed is ever put into the page as HTML (only
 * textContent and value), and nothing leaves the browser until the editor downloads, copies or submits the file.
 */
(function () {
  "use strict";
  // The record template, each marker ⟦name⟧ replaced as newrecord.record_text writes the value.
  function recordText(record, skeleton) {
    var region = record.region || {};
    var values = {
      id: scalar(record.id || "", /^[a-z0-9]+(-[a-z0-9]+)*$/), title: scalar(record.title || ""),
      level: scalar(record.level || ""), year: scalar(record.year === undefined ? "" : record.year, /^[12]\d{3}$/),
      since: record.since ? "since: " + scalar(record.since, /^[12]\d{3}$/) : "# since: 2019",
      practices: flow(record.practices), problems: flow(record.problems),
      summary: scalar(record.summary || ""), background: scalar(record.background || ""),
      measures: (record.measures && record.measures.length ? record.measures : [{}]).map(function (m) {
        return "\n  - title: " + scalar((m || {}).title || "") + "\n    text: " + scalar((m || {}).text || "");
      }).join(""),
      outcomes: (record.outcomes && record.outcomes.length ? record.outcomes : [""]).map(function (o) {
        return "\n  - " + scalar(o || "");
      }).join(""),
      conditions: block("conditions", record.conditions), cautions: block("cautions", record.cautions),
      statistics: (record.statistics || []).map(statistic).join("") || " []",
      sources: flow(record.sources),
    };
    ["city", "county", "subdistrict", "community"].forEach(function (key) {
      values["region." + key] = region[key] ? key + ": " + scalar(region[key]) : "# " + key + ": ";
    });
    return skeleton.replace(/⟦([a-z.]+)⟧/g, function (marker, name) { return values[name]; });
  }

  function statistic(entry) {
    entry = entry || {};
    var lines = ["metric: " + scalar(entry.metric || ""), "value: " + scalar(entry.value || ""),
                 "as_of: " + scalar(entry.as_of === undefined ? "" : String(entry.as_of))];
    if (entry.as_of_estimated) lines.push("as_of_estimated: true");
    if (entry.scope) lines.push("scope: " + scalar(entry.scope));
    lines.push("source: " + scalar(entry.source || "", /^[a-z0-9]+(-[a-z0-9]+)*$/));
    if (entry.note) lines.push("note: " + scalar(entry.note));
    return "\n  - " + lines.join("\n    ");
  }

  function block(name, items) {
    return items && items.length ? name + ":" + items.map(function (text) { return "\n  - " + scalar(text || ""); }).join("")
      : "# " + name + ": []";
  }

  function flow(items) { return "[" + (items || []).map(function (item) { return scalar(item); }).join(", ") + "]"; }

  // A JSON string is a YAML scalar that nothing typed can break out of (quotes, colons, #, line breaks).
  function scalar(value, plain) {
    var text = String(value);
    return plain && plain.test(text) ? text : JSON.stringify(text);
  }


  // Entries for the end of cases/sources.yml: the fields in the schema's order, each value as recordText writes one.
  function sourcesText(entries, itemSchema) {
    return entries.map(function (entry) {
      var lines = Object.keys(itemSchema.properties).filter(function (key) {
        return entry[key] !== undefined && entry[key] !== "";
      }).map(function (key) {
        return key + ": " + (entry[key] === true ? "true" : scalar(entry[key], key === "id" ? /^[a-z0-9]+(-[a-z0-9]+)*$/ : null));
      });
      return "- " + lines.join("\n  ") + "\n";
    }).join("");
  }

  if (typeof document === "undefined") {  // Node.js, in the tests: the writers, to compare with newrecord.py's
    module.exports = { recordText: recordText, sourcesText: sourcesText };
    return;
  }
  var root = document.getElementById("cb-editor");
  if (!root) return;
  var DRAFT = "casebook-editor-draft";  // localStorage: the record as typed, kept until the editor clears it
  var CHECK_DELAY = 250;  // ms after the last keystroke
  var SUGGESTIONS = 8;
  // Longer addresses are refused by some servers (HTTP 414); the content then goes by the clipboard.
  var LONGEST_ADDRESS = 8000;

  fetch(root.getAttribute("data-editor-data")).then(function (response) {
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }).then(start, function () {
    root.textContent = "";
    root.appendChild(element("p", { className: "cb-editor__failed", role: "alert" },
      "表格所需的数据没有下载下来。请检查网络后刷新本页；已填写的内容保存在本机，不会丢失。"));
  });

  function element(tag, properties, text) {
    var made = document.createElement(tag);
    Object.keys(properties || {}).forEach(function (name) {
      if (name === "className" || name === "value" || name === "type" || name === "id" || name === "htmlFor") made[name] = properties[name];
      else made.setAttribute(name, properties[name]);
    });
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function start(data) {
    var schema = data.schema;
    var record = restoreDraft() || { region: { province: "吉林省" } };
    var fields = {};  // path joined with "." → {box, error, control} of the field shown for it
    var counter = 0;
    var checkTimer = null;
    root.textContent = "";

    var notice = element("p", { className: "cb-editor__notice", "aria-live": "polite" });
    root.appendChild(notice);
    if (localStorage.getItem(DRAFT)) notice.textContent = "已恢复上次在本机填写、尚未提交的内容。";

    var form = element("form", { className: "cb-editor__form", novalidate: "" });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    root.appendChild(form);
    renderObject(schema, schema, [], form);
    // An article the registry does not have yet: entered here with the fields of sources.yml, then choosable as a
    // source of the case, and written as lines to add to sources.yml in the same pull request.
    renderArray({ title: "新资料", type: "array", items: data.sourcesSchema.items,
                  description: "案例依据的文章还没有登记在 cases/sources.yml 里时，在这里登记；登记后就能在上面的“来源”和“出处”里选它。" },
                ["newSources"], false, form);

    var summary = element("div", { className: "cb-editor__summary", "aria-live": "polite" });
    var output = element("section", { className: "cb-editor__output", "aria-label": "生成的案例记录文件" });
    root.appendChild(summary);
    root.appendChild(output);
    var fileName = element("p", { className: "cb-editor__path" });
    var yamlBox = element("textarea", { className: "cb-editor__yaml", readonly: "", rows: "12", spellcheck: "false",
                                        "aria-label": "案例记录文件的内容（YAML）" });
    var actions = element("p", { className: "cb-editor__actions" });
    var download = element("button", { type: "button", className: "cb-editor__button" }, "下载文件");
    var copy = element("button", { type: "button", className: "cb-editor__button" }, "复制内容");
    var submit = element("a", { className: "cb-editor__button cb-editor__button--primary", target: "_blank", rel: "noopener" },
                         "在 GitHub 上提交");
    var clear = element("button", { type: "button", className: "cb-editor__button cb-editor__button--quiet" }, "清空重填");
    output.appendChild(element("h2", { id: "file" }, "生成的文件"));
    output.appendChild(fileName);
    output.appendChild(yamlBox);
    output.appendChild(actions);
    actions.appendChild(download);
    actions.appendChild(copy);
    if (data.newFile) actions.appendChild(submit);
    actions.appendChild(clear);
    var help = element("p", { className: "cb-editor__help" });
    output.appendChild(help);
    var sourcesBlock = element("div", { className: "cb-editor__sources", hidden: "" });
    sourcesBlock.appendChild(element("h3", {}, "还要登记的新资料"));
    sourcesBlock.appendChild(element("p", {}, "把下面几行加到仓库里 cases/sources.yml 的末尾，和案例文件放在同一个合并请求里：" +
      "在 GitHub 上提交案例文件后，在合并请求页面点您的分支名，打开 cases/sources.yml，点铅笔图标编辑，把这几行粘贴到文件末尾，" +
      "选择提交到同一个分支。也可以把这几行连同案例文件一起发给编辑。"));
    var sourcesBox = element("textarea", { className: "cb-editor__yaml", readonly: "", rows: "6", spellcheck: "false",
                                           "aria-label": "要加到 cases/sources.yml 末尾的内容" });
    var copySources = element("button", { type: "button", className: "cb-editor__button" }, "复制这几行");
    sourcesBlock.appendChild(sourcesBox);
    sourcesBlock.appendChild(copySources);
    output.appendChild(sourcesBlock);
    copySources.addEventListener("click", function () { copyFrom(sourcesBox, "已复制要登记的几行。"); });

    download.addEventListener("click", function () {
      var link = element("a", { href: URL.createObjectURL(new Blob([yaml()], { type: "text/yaml;charset=utf-8" })),
                                download: fileBase() });
      document.body.appendChild(link);
      link.click();
      link.remove();
    });
    copy.addEventListener("click", function () { copyFrom(yamlBox, "已复制文件内容。"); });
    // The text of `box` to the clipboard (selected and copied the old way where the clipboard API is missing).
    function copyFrom(box, said) {
      box.select();
      var done = navigator.clipboard ? navigator.clipboard.writeText(box.value) : Promise.reject();
      done.catch(function () { document.execCommand("copy"); }).then(function () { notice.textContent = said; });
    }
    submit.addEventListener("click", function (event) {
      if (submit.getAttribute("aria-disabled") === "true") {
        event.preventDefault();
        Object.keys(fields).forEach(function (key) { touched[key] = true; });  // now every problem is shown at its field
        refresh();
        notice.textContent = "还有需要修改的地方，已在表格里用红字标出，改好后再提交。";
        return;
      }
      if (navigator.clipboard) navigator.clipboard.writeText(yaml()).catch(function () {});
      if (submit.href.length > LONGEST_ADDRESS) {
        submit.href = submit.href.split("&value=")[0];
        notice.textContent = "内容较长，已复制到剪贴板：请在打开的页面里粘贴到文件内容处。";
      }
    });
    clear.addEventListener("click", function () {
      if (!window.confirm("清空表格里填写的全部内容？")) return;
      localStorage.removeItem(DRAFT);
      window.location.reload();
    });
    // A field's problems show once the editor has been at it (an empty form is not a page of errors); the list
    // under the form always counts them all.
    var touched = {};
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    Object.keys(flatten(record, [])).forEach(function (key) { touched[key] = true; });  // a restored draft
    refresh();

    function changed(event) {
      var box = event && event.target && event.target.closest ? event.target.closest("[data-path]") : null;
      if (box) touched[box.getAttribute("data-path")] = true;
      try { localStorage.setItem(DRAFT, JSON.stringify(record)); } catch (full) { /* private mode: no draft */ }
      clearTimeout(checkTimer);
      checkTimer = setTimeout(refresh, CHECK_DELAY);
    }

    // ---- the form, from the schema ----

    function resolve(node) {
      var found = node;
      while (found && found.$ref) {
        var target = found.$ref.replace(/^#\//, "").split("/").reduce(function (at, key) { return at[key]; }, schema);
        var merged = Object.assign({}, target, found);
        delete merged.$ref;
        found = merged;
      }
      return found || {};
    }

    function renderObject(node, parent, path, container) {
      var required = node.required || [];
      Object.keys(node.properties || {}).forEach(function (name) {
        renderField(resolve(node.properties[name]), path.concat([name]), required.indexOf(name) >= 0, container);
      });
    }

    function fieldBox(node, path, required, container, group) {
      var id = "cb-field-" + (++counter);
      var box = element(group ? "fieldset" : "div", { className: "cb-field", "data-path": path.join(".") });
      var title = (node.title || path[path.length - 1]) + (required ? "" : "（可选）");
      box.appendChild(element(group ? "legend" : "label", group ? {} : { htmlFor: id }, title));
      if (node.description) box.appendChild(element("p", { className: "cb-field__help", id: id + "-help" }, node.description));
      var error = element("p", { className: "cb-field__error", id: id + "-error" });
      container.appendChild(box);
      fields[path.join(".")] = { box: box, error: error };
      return { box: box, id: id, error: error };
    }

    function renderField(node, path, required, container) {
      var type = Array.isArray(node.type) ? node.type[0] : node.type;
      if (type === "object") {
        var group = fieldBox(node, path, required, container, true);
        renderObject(node, node, path, group.box);
        group.box.appendChild(group.error);
      } else if (type === "array") {
        renderArray(node, path, required, container);
      } else {
        var made = fieldBox(node, path, required, container, false);
        made.box.appendChild(control(node, path, made.id));
        made.box.appendChild(made.error);
      }
    }

    function describedBy(id) { return id + "-help " + id + "-error"; }

    function control(node, path, id) {
      var value = get(path);
      var input;
      if (node.enum) {
        input = element("select", { id: id, "aria-describedby": describedBy(id) });
        input.appendChild(element("option", { value: "" }, node.enum.length > 1 ? "请选择" : ""));
        node.enum.forEach(function (choice) { input.appendChild(element("option", { value: String(choice) }, String(choice))); });
        if (node.enum.length === 1 && value === undefined) { value = node.enum[0]; set(path, value); }
        input.value = value === undefined ? "" : String(value);
      } else if (node.type === "boolean") {
        input = element("input", { type: "checkbox", id: id, "aria-describedby": describedBy(id) });
        input.checked = value === true;
      } else if ((node.maxLength || 0) >= 200) {
        input = element("textarea", { id: id, rows: node.maxLength > 300 ? "5" : "3", "aria-describedby": describedBy(id) });
        input.value = value === undefined ? "" : String(value);
      } else {
        var numeric = node.type === "integer" || node.type === "number";
        input = element("input", { type: "text", id: id, "aria-describedby": describedBy(id), autocomplete: "off" });
        if (numeric) input.setAttribute("inputmode", "numeric");
        if (node.pattern) { input.setAttribute("autocapitalize", "off"); input.setAttribute("spellcheck", "false"); }
        input.value = value === undefined ? "" : String(value);
      }
      input.addEventListener(node.type === "boolean" ? "change" : "input", function () {
        set(path, read(node, input));
      });
      var vocabulary = node["x-vocabulary"] || placeLevel(path);
      if (vocabulary && input.tagName === "INPUT") return withSuggestions(input, path, vocabulary);
      if (path[path.length - 1] === "value" && path[0] === "statistics") return withNormalised(input, path);
      return input;
    }

    function read(node, input) {
      if (node.type === "boolean") return input.checked || undefined;
      var text = input.value;
      if (text.trim() === "") return undefined;
      var types = Array.isArray(node.type) ? node.type : [node.type];
      // Whole numbers are numbers, as YAML reads `year: 2022`; anything else stays text for the check to explain.
      if ((types.indexOf("integer") >= 0 && types.indexOf("string") < 0) && /^\s*\d+\s*$/.test(text)) return parseInt(text, 10);
      return text;
    }

    function renderArray(node, path, required, container) {
      var made = fieldBox(node, path, required, container, true);
      var items = resolve(node.items || {});
      if (node["x-vocabulary"] || items["x-vocabulary"]) return renderChoices(node, items, path, made);
      var list = element("ol", { className: "cb-list" });
      made.box.appendChild(list);
      made.box.appendChild(made.error);
      var add = element("button", { type: "button", className: "cb-editor__button cb-editor__button--quiet" },
                        "添加一条" + (node.title || ""));
      made.box.appendChild(add);
      function draw() {
        list.textContent = "";
        (get(path) || []).forEach(function (item, index) {
          var entry = element("li", { className: "cb-list__item" });
          var itemPath = path.concat([index]);
          if (items.type === "object") {
            renderObject(items, items, itemPath, entry);
          } else {
            var inner = fieldBox(items, itemPath, true, entry, false);
            inner.box.querySelector("label").textContent = "第" + (index + 1) + "条";
            inner.box.appendChild(control(items, itemPath, inner.id));
            inner.box.appendChild(inner.error);
          }
          var remove = element("button", { type: "button", className: "cb-editor__button cb-editor__button--quiet" },
                               "删去第" + (index + 1) + "条");
          remove.addEventListener("click", function () { removeItem(path, index, draw); });
          entry.appendChild(remove);
          list.appendChild(entry);
        });
      }
      add.addEventListener("click", function () {
        set(path, (get(path) || []).concat([items.type === "object" ? {} : ""]));
        draw();
        changed();
        var inputs = list.lastChild && list.lastChild.querySelector("input, textarea, select");
        if (inputs) inputs.focus();
      });
      if (required && !get(path)) set(path, [items.type === "object" ? {} : ""]);
      draw();
    }

    // Names from a registry (做法, 问题, 来源): chosen ones as removable chips, others found by typing part of a
    // name or an alias. What is typed and not in the registry can still be added; the check then says what is near.
    function renderChoices(node, items, path, made) {
      var vocabulary = node["x-vocabulary"] || items["x-vocabulary"];
      var chips = element("ul", { className: "cb-chips", "aria-label": "已选的" + (node.title || "") });
      var input = element("input", { type: "search", id: made.id, autocomplete: "off", enterkeyhint: "done",
                                     "aria-describedby": describedBy(made.id), placeholder: "输入名称或其中几个字查找" });
      made.box.insertBefore(element("label", { htmlFor: made.id, className: "cb-visually-hidden" }, "查找" + (node.title || "")),
                            made.box.querySelector(".cb-field__help"));
      made.box.appendChild(chips);
      made.box.appendChild(withSuggestions(input, path, vocabulary, function (name) {
        var chosen = get(path) || [];
        set(path, chosen.concat([name]));
        input.value = "";
        draw();
        changed();
      }));
      made.box.appendChild(made.error);
      function draw() {
        chips.textContent = "";
        (get(path) || []).forEach(function (name, index) {
          var chip = element("li", { className: "cb-chip" });
          chip.appendChild(element("span", {}, name));
          var remove = element("button", { type: "button", className: "cb-chip__remove", "aria-label": "去掉" + name }, "×");
          remove.addEventListener("click", function () { removeItem(path, index, draw); });
          chip.appendChild(remove);
          chips.appendChild(chip);
        });
      }
      draw();
    }

    function entriesOf(vocabulary) {
      if (vocabulary === "sources") {
        return data.sources.concat(addedSources()).map(function (s) { return { name: s.id, aliases: [], description: s.description }; });
      }
      if (vocabulary.indexOf("place:") === 0) {
        return knownPlaces(vocabulary.slice(6)).map(function (name) { return { name: name, aliases: [], description: "" }; });
      }
      return data[vocabulary];
    }

    // An input with a list of matching registry entries under it; choosing one fills it in (or, with `choose`,
    // hands it over). Enter takes what is typed.
    function withSuggestions(input, path, vocabulary, choose) {
      var wrap = element("div", { className: "cb-suggest" });
      var list = element("ul", { className: "cb-suggest__list", hidden: "" });
      var listId = input.id + "-list";
      list.id = listId;
      input.setAttribute("aria-controls", listId);
      wrap.appendChild(input);
      wrap.appendChild(list);
      function pick(name) {
        list.hidden = true;
        if (choose) { choose(name); return; }
        input.value = name;
        set(path, name);
        changed();
      }
      function show() {
        var typed = input.value.trim();
        list.textContent = "";
        if (!typed) { list.hidden = true; return; }
        var found = entriesOf(vocabulary).filter(function (entry) {
          return [entry.name].concat(entry.aliases).some(function (label) { return label.indexOf(typed) >= 0; }) ||
            (vocabulary === "sources" && entry.description.indexOf(typed) >= 0);
        }).slice(0, SUGGESTIONS);
        found.forEach(function (entry) {
          var item = element("li", {});
          var button = element("button", { type: "button", className: "cb-suggest__item" });
          button.appendChild(element("strong", {}, entry.name));
          var alias = entry.aliases.filter(function (label) { return label.indexOf(typed) >= 0; })[0];
          var more = alias ? "又称" + alias : entry.description;
          if (more) button.appendChild(element("span", {}, more.length > 60 ? more.slice(0, 60) + "…" : more));
          button.addEventListener("click", function () { pick(entry.name); input.focus(); });
          item.appendChild(button);
          list.appendChild(item);
        });
        list.hidden = found.length === 0;
      }
      input.addEventListener("input", show);
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && choose && input.value.trim()) { event.preventDefault(); pick(input.value.trim()); }
        if (event.key === "Escape") list.hidden = true;
      });
      return wrap;
    }

    // Region: each level below the city offers the places the casebook already names under the level above.
    function placeLevel(path) {
      return path[0] === "region" && path.length === 2 && ["county", "subdistrict", "community"].indexOf(path[1]) >= 0
        ? "place:" + path[1] : null;
    }
    function knownPlaces(level) {
      var order = ["city", "county", "subdistrict", "community"];
      var node = data.places;
      var region = record.region || {};
      for (var i = 0; i < order.indexOf(level); i++) node = (node && node[region[order[i]]]) || null;
      return node ? Object.keys(node) : [];
    }

    function withNormalised(input, path) {
      var wrap = element("div", {});
      var shown = element("p", { className: "cb-field__normalised", "aria-live": "polite" });
      wrap.appendChild(input);
      wrap.appendChild(shown);
      function update() {
        var phrase = get(path);
        shown.textContent = "";
        if (!phrase) return;
        try { shown.textContent = "规范值：" + CasebookCheck.quantity(String(phrase)).display; } catch (unreadable) { /* the check says why */ }
      }
      input.addEventListener("input", update);
      update();
      return wrap;
    }

    // ---- the record ----

    function get(path) {
      return path.reduce(function (at, key) { return at === undefined || at === null ? undefined : at[key]; }, record);
    }

    function set(path, value) {
      var at = record;
      for (var i = 0; i < path.length - 1; i++) {
        if (at[path[i]] === undefined) at[path[i]] = typeof path[i + 1] === "number" ? [] : {};
        at = at[path[i]];
      }
      if (value === undefined && !Array.isArray(at)) delete at[path[path.length - 1]];
      else at[path[path.length - 1]] = value === undefined ? "" : value;
    }

    // Every path the record has a value at ("region.city", "measures.0.title"), for a restored draft's fields.
    function flatten(value, path) {
      var found = {};
      if (value !== null && typeof value === "object") {
        Object.keys(value).forEach(function (key) {
          Object.assign(found, flatten(value[key], path.concat([Array.isArray(value) ? Number(key) : key])));
        });
      }
      if (path.length) found[path.join(".")] = true;
      return found;
    }

    // The list at `path` without its item `index` (no list once it is empty); `draw` shows it again.
    function removeItem(path, index, draw) {
      var kept = (get(path) || []).slice();
      kept.splice(index, 1);
      set(path, kept.length ? kept : undefined);
      draw();
      changed();
    }

    function restoreDraft() {
      try { return JSON.parse(localStorage.getItem(DRAFT) || "null"); } catch (broken) { return null; }
    }

    function folder() {
      var city = (record.region || {}).city;
      var folders = schema.properties.region.properties.city["x-folders"];
      return city && folders[city] ? folders[city] : data.provinceFolder;
    }

    // The new sources with an id, as the registry's entries are given to the checks and the choices.
    function addedSources() {
      return (record.newSources || []).filter(function (entry) { return entry && entry.id; }).map(function (entry) {
        return { id: entry.id, description: [entry.publication, entry.title].filter(Boolean).join("：") };
      });
    }

    function fileBase() { return (record.id || "new-case") + ".yml"; }

    function yaml() { return recordText(record, data.skeleton); }

    // ---- checking and the file ----

    function refresh() {
      var theCase = Object.assign({}, record);
      delete theCase.newSources;
      var problems = CasebookCheck.check(theCase, Object.assign({}, data, { sources: data.sources.concat(addedSources()) }), true)
        .concat(CasebookCheck.checkSources(record.newSources || [], data).map(function (problem) {
          return { path: ["newSources"].concat(problem.path), label: "新资料 · " + problem.label, message: problem.message };
        }));
      Object.keys(fields).forEach(function (key) {
        fields[key].error.textContent = "";
        fields[key].box.classList.remove("cb-field--invalid");
        var control = fields[key].box.querySelector("input, select, textarea");
        if (control) control.removeAttribute("aria-invalid");
      });
      problems.forEach(function (problem) {
        var path = problem.path.slice();
        while (path.length && !fields[path.join(".")]) path.pop();
        var field = fields[path.join(".")];
        if (!field || !touched[path.join(".")]) return;
        var line = element("span", { className: "cb-field__problem" }, problem.message);
        if (field.error.textContent) field.error.appendChild(document.createTextNode(" "));
        field.error.appendChild(line);
        field.box.classList.add("cb-field--invalid");
        var control = field.box.querySelector("input, select, textarea");
        if (control) control.setAttribute("aria-invalid", "true");
      });
      summary.textContent = "";
      if (problems.length) {
        summary.appendChild(element("p", { className: "cb-editor__count" }, "还有 " + problems.length + " 处要改："));
        var list = element("ul", {});
        problems.forEach(function (problem) {
          list.appendChild(element("li", {}, problem.label + "：" + problem.message));
        });
        summary.appendChild(list);
      } else {
        summary.appendChild(element("p", { className: "cb-editor__ok" }, "检查通过：可以下载或提交了。"));
      }
      var path = data.recordsPath + "/" + folder() + "/" + fileBase();
      fileName.textContent = "";
      fileName.appendChild(document.createTextNode("文件放在仓库的 "));
      fileName.appendChild(element("code", {}, path));
      var text = yaml();
      yamlBox.value = text;
      sourcesBox.value = sourcesText(record.newSources || [], data.sourcesSchema.items);
      sourcesBlock.hidden = !(record.newSources && record.newSources.length);
      if (data.newFile) {
        submit.href = data.newFile + data.recordsPath + "/" + folder() + "?filename=" + encodeURIComponent(fileBase()) +
          "&value=" + encodeURIComponent(text);
        submit.setAttribute("aria-disabled", problems.length ? "true" : "false");
        submit.classList.toggle("cb-editor__button--disabled", problems.length > 0);
      }
      help.textContent = problems.length
        ? "还有问题时也可以先下载保存，改好后再提交。"
        : data.newFile
          ? "点“在 GitHub 上提交”：在 GitHub 网站上登录后，按页面提示“Propose new file”，网站会替您建立副本并发起合并请求，编辑审核后收录。没有 GitHub 账号，可以把下载的文件发给编辑。"
          : "把下载的文件发给编辑，或按 CONTRIBUTING.md 提交。";
    }

  }
})();
