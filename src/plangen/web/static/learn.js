// 从文件新建方案类型: selecting a passage in the text fills the "mark as a field" form.
(function () {
  "use strict";
  function init() {
    var text = document.getElementById("learn-text");
    var form = document.getElementById("mark-form");
    if (!text || !form) { return; }
    var passage = document.getElementById("mark-passage");
    var label = document.getElementById("mark-label");
    text.addEventListener("mouseup", function () {
      var selection = window.getSelection();
      if (!selection || selection.rangeCount === 0) { return; }
      var range = selection.getRangeAt(0);
      if (!text.contains(range.commonAncestorContainer)) { return; }
      var chosen = selection.toString().replace(/\s+/g, "");
      if (!chosen) { return; }
      passage.value = chosen;
      form.classList.add("selected");
      label.focus();
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
