// 搜索：粘贴、语音和输入法输入的文字也立即查询（Material 只在按键抬起时查询）；搜索框有中文名称。
(function () {
  "use strict";
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog) dialog.setAttribute("aria-label", "搜索");
  function isSearchBox(target) {
    return target.matches && target.matches("[data-md-component=search-query]");
  }
  function requery(event) {
    if (!isSearchBox(event.target) || event.isComposing) return;
    event.target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }
  document.addEventListener("input", requery);
  document.addEventListener("compositionend", requery);
})();

// 引用本案例：填入读者自己的引用日期，复制按钮离线可用（不依赖任何外部脚本）。
(function () {
  "use strict";
  var now = new Date();
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());

  document.querySelectorAll("[data-cite]").forEach(function (element) {
    element.textContent = element.textContent.replace("[引用日期]", "[" + today + "]");
  });

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied;
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.parentNode.querySelector(".cb-cite__text").textContent;
      var done = function () {
        button.textContent = "已复制";
        setTimeout(function () { button.textContent = "复制"; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { if (copyWithSelection(text)) done(); });
      } else if (copyWithSelection(text)) {
        done();
      }
    });
  });
})();

// 案例检索：按地区、做法、层级、年份筛选，条件写在网址里，可以分享；不联网也能用。
(function () {
  "use strict";
  var form = document.querySelector("[data-cb-browser]");
  if (!form) return;
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-cb-list] > li"));
  var count = document.querySelector("[data-cb-count]");
  var fields = ["region", "problem", "practice", "level", "year", "verification", "completeness"];

  function matches(item, filters, skip) {
    return fields.every(function (name) {
      var wanted = filters[name];
      if (!wanted || name === skip) return true;
      if (name === "region") {
        var region = item.dataset.region;
        if (wanted === "全省") return region === "";  // the province's own, province-wide cases
        return region === wanted || region.indexOf(wanted + "/") === 0;
      }
      if (name === "practice") return item.dataset.practices.split("|").indexOf(wanted) >= 0;
      if (name === "problem") return item.dataset.problems.split("|").indexOf(wanted) >= 0;
      return item.dataset[name] === wanted;
    });
  }

  function current() {
    var filters = {};
    fields.forEach(function (name) { filters[name] = form.elements[name].value; });
    return filters;
  }

  function apply() {
    var filters = current();
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, filters);
      item.hidden = !visible;
      if (visible) shown += 1;
    });
    count.textContent = shown;
    // Each option shows how many cases it would leave, given the other choices.
    fields.forEach(function (name) {
      Array.prototype.forEach.call(form.elements[name].options, function (option) {
        if (!option.value) return;
        var trial = Object.assign({}, filters);
        trial[name] = option.value;
        var n = items.filter(function (item) { return matches(item, trial); }).length;
        option.textContent = option.textContent.replace(/（\d+）$/, "") + "（" + n + "）";
        option.disabled = n === 0 && option.value !== filters[name];
      });
    });
    var query = new URLSearchParams();
    fields.forEach(function (name) { if (filters[name]) query.set(name, filters[name]); });
    var search = query.toString();
    history.replaceState(null, "", location.pathname + (search ? "?" + search : "") + location.hash);
  }

  var params = new URLSearchParams(location.search);
  fields.forEach(function (name) {
    var value = params.get(name);
    if (value !== null) form.elements[name].value = value;
  });
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  apply();
})();

// 案例对比：案例页和案例检索页上的“加入对比”按钮把所选案例记在本机浏览器里；对比页的网址（?c=编号,编号）
// 写明要并排看的 2 到 4 个案例，可以分享。每个案例的一栏是构建时生成的小脚本（compare/cases/编号.js），
// 只载入选中的几个；用脚本而不用 JSON，是因为从文件夹直接打开（file://）时浏览器不让读文件，却能载入脚本。
(function () {
  "use strict";
  var KEY = "casebook.compare";
  // Not the schema's id rule but a guard for what goes into a script address (compare/cases/编号.js):
  // every id the schema allows passes it, and nothing from a URL or storage with other characters does.
  var isId = function (value) { return typeof value === "string" && /^[a-z0-9-]+$/.test(value); };
  var has = function (object, key) { return Object.prototype.hasOwnProperty.call(object, key); };

  function stored() {
    try {
      var ids = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(isId) : [];
    } catch (error) {
      return [];  // storage blocked (some private modes) or spoilt: start afresh
    }
  }

  function store(ids) {
    try { localStorage.setItem(KEY, JSON.stringify(ids)); } catch (error) { /* not kept; the address still is */ }
  }

  function query(ids) { return ids.length ? "?c=" + ids.join(",") : ""; }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    return made;
  }

  // Case pages and the case browser: a toggle for each case, and a bar that opens the comparison.
  function choosing(home) {
    var page = home.dataset.cbComparePage, most = Number(home.dataset.cbCompareMost);
    var bar = element("div", "cb-compare-bar"), link = element("a"), note = element("span", "cb-compare-bar__note");
    note.setAttribute("role", "status");
    bar.appendChild(link);
    bar.appendChild(note);
    bar.hidden = true;
    document.body.appendChild(bar);
    var buttons = Array.prototype.map.call(document.querySelectorAll("[data-cb-compare-id]"), function (slot) {
      var button = element("button", "cb-compare-toggle", "加入对比"), title = slot.querySelector("a");
      button.type = "button";
      button.dataset.id = slot.dataset.cbCompareId;
      // In a list every button says 加入对比: the case's title tells a screen reader which one.
      if (title) button.setAttribute("aria-label", "加入对比：" + title.textContent);
      button.addEventListener("click", function () { toggle(button.dataset.id); });
      slot.appendChild(button);
      return button;
    });

    function toggle(id) {
      var ids = stored(), at = ids.indexOf(id);
      note.textContent = "";
      if (at >= 0) ids.splice(at, 1);
      else if (ids.length >= most) note.textContent = "最多同时对比 " + most + " 个案例，请先取消一个。";
      else ids.push(id);
      store(ids);
      show();
    }

    function show() {
      var ids = stored();
      buttons.forEach(function (button) { button.setAttribute("aria-pressed", String(ids.indexOf(button.dataset.id) >= 0)); });
      link.textContent = "对比（" + ids.length + "）";
      link.href = page + query(ids);
      bar.hidden = !ids.length;
      document.body.classList.toggle("cb-has-compare-bar", !bar.hidden);
    }

    // Chosen in another tab, or changed on the comparison page before coming back.
    window.addEventListener("storage", show);
    window.addEventListener("pageshow", show);
    show();
  }

  // The comparison page.
  function comparing(root) {
    var select = root.querySelector("select[name=case]"), grid = root.querySelector("[data-cb-compare-grid]");
    var notes = root.querySelector("[data-cb-compare-notes]"), share = root.querySelector("[data-cb-compare-share]");
    var qrButton = root.querySelector("[data-cb-compare-qr-button]"), qrBox = root.querySelector("[data-cb-compare-qr]");
    var most = Number(root.dataset.most), renamed = JSON.parse(root.dataset.renamed);
    var titles = {}, columns = {}, requested = {}, chosen = [];
    Array.prototype.forEach.call(select.options, function (option) { if (option.value) titles[option.value] = option.textContent; });

    window.casebookCompare = {
      add: function (id, html) {
        columns[id] = html;
        if (chosen.indexOf(id) >= 0) draw();
      }
    };

    function load(id) {
      if (columns[id] || requested[id]) return;
      requested[id] = true;
      var script = document.createElement("script");
      script.src = root.dataset.columns + id + ".js";  // id is one of the site's own: checked against the list
      script.onerror = function () {
        requested[id] = false;
        say("“" + titles[id] + "”没有载入，请检查网络后刷新本页。");
      };
      document.body.appendChild(script);
    }

    function say(text) { notes.appendChild(element("p", "", text)); }

    // The address names the cases; without one, the reader's own choice (from the 加入对比 buttons).
    function asked() {
      var match = /[?&]c=([^&#]*)/.exec(location.search);
      if (!match) return stored();
      var ids;
      try { ids = decodeURIComponent(match[1]); } catch (error) { ids = match[1]; }
      return ids.split(/[,，\s]+/);  // also as retyped from a slide: Chinese commas, spaces
    }

    function start() {
      var unknown = [];
      asked().forEach(function (raw) {
        var id = has(renamed, raw) ? renamed[raw] : raw;  // a case given a new id keeps its old addresses
        if (!id) return;
        if (!has(titles, id)) unknown.push(raw);
        else if (chosen.indexOf(id) < 0) chosen.push(id);
      });
      if (unknown.length) say("没有找到编号为“" + unknown.join("”“") + "”的案例，可能是网址抄错了，或案例已改号、删除。");
      if (chosen.length > most) {
        var left = chosen.splice(most);
        say("一次最多对比 " + most + " 个案例，网址里多出的 " + left.length + " 个没有显示：" +
            left.map(function (id) { return titles[id]; }).join("、") + "。");
      }
      update(false);
    }

    function update(remember) {
      if (remember) store(chosen);
      try {
        history.replaceState(null, "", location.pathname + query(chosen) + location.hash);
      } catch (error) { /* some browsers refuse for file:// pages; the page still shows the choice */ }
      chosen.forEach(load);
      draw();
      root.querySelector("[data-cb-compare-pick]").hidden = chosen.length >= most;
      shareAddress();
    }

    function draw() {
      grid.textContent = "";
      grid.dataset.count = chosen.length;
      grid.style.setProperty("--cb-count", chosen.length);
      chosen.forEach(function (id, position) {
        var column;
        if (columns[id]) {
          // HTML the site's templates wrote with every record text escaped; never text from the address.
          var holder = document.createElement("template");
          holder.innerHTML = columns[id];
          column = holder.content.firstElementChild;
        } else {
          column = element("section", "cb-compare__case");
          var head = column.appendChild(element("div", "cb-compare__head"));
          head.appendChild(element("h2", "", titles[id]));
          head.appendChild(element("p", "", "正在载入……"));
        }
        column.style.setProperty("--cb-col", position + 1);
        var remove = element("button", "cb-compare__button cb-compare__remove", "移出对比");
        remove.type = "button";
        remove.setAttribute("aria-label", "移出对比：" + titles[id]);
        remove.addEventListener("click", function () { drop(id); });
        column.querySelector(".cb-compare__head").appendChild(remove);
        grid.appendChild(column);
      });
      if (chosen.length < 2) {
        var hint = element("p", "cb-compare__hint", chosen.length ? "再选一个案例就可以对比了。" : "还没有选择案例。");
        grid.appendChild(hint);
      }
    }

    function drop(id) {
      var at = chosen.indexOf(id);
      chosen.splice(at, 1);
      update(true);
      var next = grid.querySelectorAll(".cb-compare__remove")[Math.min(at, chosen.length - 1)];
      (next || select).focus();  // focus stays near where it was, not lost with the removed column
    }

    root.querySelector("[data-cb-compare-pick]").addEventListener("submit", function (event) {
      event.preventDefault();
      var id = select.value;
      if (!id) return;
      if (chosen.indexOf(id) < 0) chosen.push(id);
      select.value = "";
      update(true);
    });

    // The address to share: this page's own on a web server; opened from a folder, the published one.
    function address() {
      if (/^https?:$/.test(location.protocol)) return location.href.split("#")[0];
      return /^https?:\/\//.test(root.dataset.address) ? root.dataset.address + query(chosen) : "";
    }

    function shareAddress() {
      var url = address();
      share.hidden = !url || chosen.length < 2;
      root.querySelector("[data-cb-compare-url]").textContent = url;
      if (!qrBox.hidden) drawQr();
    }

    qrButton.addEventListener("click", function () {
      var showing = qrButton.getAttribute("aria-expanded") === "true";
      qrButton.setAttribute("aria-expanded", String(!showing));
      qrButton.textContent = showing ? "显示二维码" : "收起二维码";
      qrBox.hidden = showing;
      if (showing) return;
      if (window.qrcode) return drawQr();
      var script = document.createElement("script");
      script.src = root.dataset.qrScript;  // loaded on first use only: most readers never ask for a code
      script.onload = drawQr;
      document.body.appendChild(script);
    });

    // The code drawn as SVG squares from the generator's module grid: sharp on screen and on paper.
    function drawQr() {
      if (!window.qrcode) return;
      var code = window.qrcode(0, "M"), svgNs = "http://www.w3.org/2000/svg", quiet = 4;
      code.addData(address());
      code.make();
      var size = code.getModuleCount(), squares = "";
      for (var row = 0; row < size; row += 1) {
        for (var col = 0; col < size; col += 1) {
          if (code.isDark(row, col)) squares += "M" + (col + quiet) + " " + (row + quiet) + "h1v1h-1z";
        }
      }
      var svg = document.createElementNS(svgNs, "svg"), path = document.createElementNS(svgNs, "path");
      svg.setAttribute("viewBox", "0 0 " + (size + 2 * quiet) + " " + (size + 2 * quiet));
      svg.setAttribute("role", "img");
      svg.setAttribute("aria-label", "本对比网址的二维码");
      path.setAttribute("d", squares);
      svg.appendChild(path);
      qrBox.textContent = "";
      qrBox.appendChild(svg);
    }

    start();
  }

  var home = document.querySelector("[data-cb-compare-page]");
  if (home) choosing(home);
  var comparison = document.querySelector("[data-cb-compare]");
  if (comparison) comparing(comparison);
})();
