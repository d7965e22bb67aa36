// plangen serve: rows to add, remove and reorder; errors placed beside their fields. No build step.
(function () {
  "use strict";

  function esc(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  // Give the rows of one list the indexes 0..n-1 again, in every name and error slot inside them.
  function renumber(rows) {
    var path = rows.getAttribute("data-path");
    var items = rows.querySelector(":scope > .items").children;
    var re = new RegExp("^" + esc(path) + "\\[\\d+\\]");
    for (var i = 0; i < items.length; i++) {
      var fixed = path + "[" + i + "]";
      items[i].querySelectorAll("[name],[data-for],[data-path]").forEach(function (el) {
        ["name", "data-for", "data-path"].forEach(function (attr) {
          var v = el.getAttribute(attr);
          if (v !== null) el.setAttribute(attr, v.replace(re, fixed));
        });
      });
      items[i].querySelectorAll("template").forEach(function (t) {
        t.innerHTML = t.innerHTML.split(path + "[").map(function (part, k) {
          return k === 0 ? part : part.replace(/^\d+\]/, i + "]");
        }).join(path + "[");
      });
    }
  }

  function changed(form) { form.dispatchEvent(new Event("rowschanged", { bubbles: true })); }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button");
    if (!btn) return;
    var form = btn.closest("form");
    if (btn.classList.contains("add")) {
      var rows = btn.closest(".rows");
      var items = rows.querySelector(":scope > .items");
      var max = parseInt(rows.getAttribute("data-max") || "0", 10);
      if (max && items.children.length >= max) return;
      var depth = rows.getAttribute("data-depth");
      var tpl = rows.querySelector(":scope > template");
      var html = tpl.innerHTML.split("__i" + depth + "__").join(String(items.children.length));
      items.insertAdjacentHTML("beforeend", html);
      var first = items.lastElementChild.querySelector("input,select,textarea");
      if (first) first.focus();
      changed(form);
    } else if (btn.classList.contains("remove") || btn.classList.contains("up") || btn.classList.contains("down")) {
      var row = btn.closest(".row");
      var rows2 = row.closest(".rows");
      if (btn.classList.contains("remove")) row.remove();
      else if (btn.classList.contains("up") && row.previousElementSibling) row.parentNode.insertBefore(row, row.previousElementSibling);
      else if (btn.classList.contains("down") && row.nextElementSibling) row.parentNode.insertBefore(row.nextElementSibling, row);
      else return;
      renumber(rows2);
      changed(form);
    }
  });

  // Each problem goes beside the field it names (a problem between fields beside each of them), and the
  // inputs it is about are marked invalid for screen readers.
  function place() {
    document.querySelectorAll(".err").forEach(function (el) {
      el.textContent = "";
      var box = el.closest(".field,fieldset,.rows,.row");
      if (box) box.classList.remove("has-err");
    });
    document.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    document.querySelectorAll("#problems li").forEach(function (li) {
      var text = li.textContent.replace(/^\s*\S+\s/, "");
      var msg = li.lastChild ? li.lastChild.textContent.trim() : text;
      var fields = (li.getAttribute("data-fields") || li.getAttribute("data-field") || "").split(" ");
      fields.forEach(function (field) {
        while (field) {
          var slot = document.querySelector('.err[data-for="' + field.replace(/"/g, '\\"') + '"]');
          if (slot) {
            slot.textContent = (slot.textContent ? slot.textContent + "；" : "") + msg;
            var box = slot.closest(".field,fieldset,.rows,.row");
            if (box) {
              box.classList.add("has-err");
              box.querySelectorAll("input,select,textarea").forEach(function (el) { el.setAttribute("aria-invalid", "true"); });
            }
            return;
          }
          field = field.replace(/(\.[^.\[\]]+|\[\d+\])$/, "");
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", place);
  document.addEventListener("htmx:oobAfterSwap", place);
})();
