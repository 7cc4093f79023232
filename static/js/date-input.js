// Date inputs (data-date-input): the box stays a text input in dd/mm/yyyy, typed freely; a calendar button
// beside it opens the vendored flatpickr (static/vendor/flatpickr, Vietnamese locale), which writes the
// chosen day as dd/mm/yyyy. The picker never rewrites what the user typed: the server reads and checks it.
(function () {
  "use strict";

  function typedDate(text) {
    var value = String(text || "").trim();
    var m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    var iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
    var day, month, year;
    if (m) { day = +m[1]; month = +m[2]; year = +m[3]; }
    else if (iso) { year = +iso[1]; month = +iso[2]; day = +iso[3]; }
    else return null;
    var date = new Date(year, month - 1, day);
    return date.getDate() === day && date.getMonth() === month - 1 ? date : null;
  }

  function enhance(input) {
    if (!window.flatpickr) return;
    var group = document.createElement("div");
    group.className = "input-group";
    input.parentNode.insertBefore(group, input);
    group.appendChild(input);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    // A small calendar drawn inline (no icon font, no emoji that a machine may lack).
    button.innerHTML =
      '<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true"><rect x="1.5" y="3" width="13" height="11.5" ' +
      'rx="1.5" fill="none" stroke="currentColor"/><path d="M1.5 6.5h13M5 1.5v3M11 1.5v3" stroke="currentColor"/></svg>';
    button.title = input.dataset.pickerLabel || "Chọn ngày trên lịch";
    button.setAttribute("aria-label", button.title);
    group.appendChild(button);
    // The picker works on a box of its own, never shown, so it cannot rewrite or clear what was typed.
    var proxy = document.createElement("input");
    proxy.type = "text";
    proxy.tabIndex = -1;
    proxy.style.display = "none";
    proxy.setAttribute("aria-hidden", "true");
    group.appendChild(proxy);
    var picker = window.flatpickr(proxy, {
      locale: (window.flatpickr.l10ns && window.flatpickr.l10ns.vn) || "default",
      dateFormat: "d/m/Y",
      clickOpens: false,
      positionElement: input,
      onChange: function (dates, text) {
        if (!dates.length) return;
        input.value = text;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        input.dispatchEvent(new Event("change", { bubbles: true }));
        input.focus();
      },
    });
    button.addEventListener("click", function () {
      var date = typedDate(input.value);
      if (date) picker.setDate(date, false);
      else picker.jumpToDate(new Date());
      picker.open();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-date-input]").forEach(enhance);
  });
})();
