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

  // A link to a new draft opens a page whose form makes the draft by POST: send it at once.
  document.addEventListener("DOMContentLoaded", function () {
    var auto = document.querySelector("form[data-autosubmit]");
    if (auto) auto.submit();
  });

  // The plan form saves as it is typed in (htmx); Enter in a field sends nothing else.
  document.addEventListener("submit", function (ev) {
    if (ev.target && ev.target.id === "plan") ev.preventDefault();
  });

  // Every failed save is said: 未保存, why, and a way on (retry; on a conflict, reload theirs or keep mine).
  // What was typed stays in the page until a save succeeds; leaving the page before that asks first.
  var unsaved = false;
  function fromPlan(ev) { var el = ev.detail && ev.detail.elt; return el && el.id === "plan" ? el : null; }
  function reasonOf(xhr) {
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var p = doc.querySelector(".error");
      return { text: p ? p.textContent.trim() : "", version: p ? p.getAttribute("data-version") : null };
    } catch (e) { return { text: "", version: null }; }
  }
  function failed(form, text, version) {
    var box = document.getElementById("savefail");
    if (!box) return;
    unsaved = true;
    box.querySelector(".why").textContent = text || form.getAttribute("data-failed");
    box.querySelector(".retry").hidden = version !== null;
    box.querySelector(".reload").hidden = version === null;
    box.querySelector(".keep").hidden = version === null;
    box.setAttribute("data-version", version === null ? "" : version);
    box.hidden = false;
    var status = document.getElementById("status");
    if (status) status.classList.add("unsaved");
  }
  document.addEventListener("htmx:responseError", function (ev) {
    var form = fromPlan(ev);
    if (!form) return;
    var why = reasonOf(ev.detail.xhr);
    failed(form, why.text, ev.detail.xhr.status === 409 ? why.version : null);
  });
  document.addEventListener("htmx:sendError", function (ev) {
    var form = fromPlan(ev);
    if (form) failed(form, form.getAttribute("data-offline"), null);
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    if (!fromPlan(ev) || !ev.detail.successful) return;
    unsaved = false;
    var keep = ev.detail.elt.querySelector('input[name="_keep"]');
    if (keep) keep.value = "";
    var box = document.getElementById("savefail");
    if (box) box.hidden = true;
  });
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("#savefail button");
    if (!btn) return;
    var form = document.getElementById("plan");
    if (btn.classList.contains("reload")) { unsaved = false; window.location.reload(); return; }
    if (btn.classList.contains("keep")) {  // this one save replaces the other's, however often that was saved since
      var keep = form.querySelector('input[name="_keep"]');
      if (keep) keep.value = "1";
    }
    htmx.trigger(form, "change");
  });
  window.addEventListener("beforeunload", function (ev) {
    if (unsaved) { ev.preventDefault(); ev.returnValue = ""; }
  });

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

  // The example's 社区 words the server set in the unit's words (村卫生室…): the form shows them too, unless
  // the field was changed meanwhile.
  function mended() {
    var box = document.getElementById("mended");
    var form = document.getElementById("plan");
    if (!box || !form) return;
    box.querySelectorAll("span[data-name]").forEach(function (item) {
      var field = form.elements.namedItem(item.getAttribute("data-name"));
      if (field && field.value === item.getAttribute("data-old")) field.value = item.getAttribute("data-value");
    });
  }
  document.addEventListener("htmx:oobAfterSwap", mended);
  document.addEventListener("htmx:afterSettle", mended);

  document.addEventListener("DOMContentLoaded", place);
  document.addEventListener("htmx:afterSettle", place);
  document.addEventListener("htmx:oobAfterSwap", place);
})();
