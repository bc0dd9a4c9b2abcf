// 搜索：粘贴、语音和输入法输入的文字也立即查询（Material 只在按键抬起时查询）；搜索框有中文名称。
(function () {
  "use strict";
  var dialog = document.querySelector(".md-search[role=dialog]");
  if (dialog) dialog.setAttribute("aria-label", "搜索");
  function requery(event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-md-component=search-query]") || event.isComposing) return;
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
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
