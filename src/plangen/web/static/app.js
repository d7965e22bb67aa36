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
      items[i].querySelectorAll("[name],[data-for],[data-path],[id],[for],[aria-describedby],[aria-labelledby]").forEach(function (el) {
        ["name", "data-for", "data-path", "id", "for", "aria-describedby", "aria-labelledby"].forEach(function (attr) {
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
      var next = row.nextElementSibling || row.previousElementSibling;
      if (btn.classList.contains("remove")) row.remove();
      else if (btn.classList.contains("up") && row.previousElementSibling) row.parentNode.insertBefore(row, row.previousElementSibling);
      else if (btn.classList.contains("down") && row.nextElementSibling) row.parentNode.insertBefore(row.nextElementSibling, row);
      else return;
      renumber(rows2);
      // the keyboard stays where it was: on the moved row's same button, or after a removal on the row
      // that took its place (the add button when none is left)
      if (btn.classList.contains("remove")) {
        var target = next ? next.querySelector("input,select,textarea") : rows2.querySelector(":scope > button.add");
        if (target) target.focus();
      } else {
        btn.focus();
      }
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

  // On a phone the preview sits behind a button.
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest(".preview-toggle");
    if (!btn) return;
    var preview = document.getElementById("preview");
    var shown = preview.classList.toggle("shown");
    btn.setAttribute("aria-expanded", shown ? "true" : "false");
    btn.textContent = shown ? btn.getAttribute("data-hide") || btn.textContent : btn.getAttribute("data-show") || btn.textContent;
  });

  // Making a PDF takes a few seconds: say so while it is made.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.pdf");
    if (!link || link.classList.contains("busy")) return;
    link.classList.add("busy");
    var note = document.createElement("span");
    note.className = "progress";
    note.setAttribute("role", "status");
    note.textContent = link.getAttribute("data-busy") || "…";
    link.insertAdjacentElement("afterend", note);
    setTimeout(function () { link.classList.remove("busy"); note.remove(); }, 30000);
  });

  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", place);
  document.addEventListener("htmx:oobAfterSwap", place);
})();
