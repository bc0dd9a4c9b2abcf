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
