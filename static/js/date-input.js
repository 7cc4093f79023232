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
    button.textContent = "\u{1F4C5}";
    button.title = input.dataset.pickerLabel || "Chọn ngày trên lịch";
    button.setAttribute("aria-label", button.title);
    group.appendChild(button);
    var proxy = document.createElement("input");
    proxy.type = "hidden";
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
