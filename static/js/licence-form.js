// Adjustment form: show, next to each capital input, the change the typed amount makes
// against the project's current capital (the server shows the same after saving).
(function () {
  "use strict";

  // 1234567.5 -> "1.234.567,5" (Vietnamese grouping, as the kcn_format filters write it).
  function vnNumber(value, decimals) {
    var fixed = Math.abs(value).toFixed(decimals);
    var parts = fixed.split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var fraction = parts[1] ? parts[1].replace(/0+$/, "") : "";
    return whole + (fraction ? "," + fraction : "");
  }

  function update(input) {
    var target = document.querySelector('[data-change-for="' + input.name + '"]');
    if (!target) return;
    var decimals = parseInt(input.dataset.decimals || "0", 10);
    var current = input.dataset.current === "" ? NaN : Number(input.dataset.current);
    // Read as the server reads it: "1.200.000.000.000" and "1200000000000" alike (amount-input.js).
    var typed = input.value.trim() === "" ? NaN : window.kcnAmount.toNumber(input.value);
    if (isNaN(current) || isNaN(typed)) {
      target.textContent = "–";
      return;
    }
    // Work in whole units of the last decimal so 0.1 + 0.2 style errors never show.
    var scale = Math.pow(10, decimals);
    var change = (Math.round(typed * scale) - Math.round(current * scale)) / scale;
    var sign = change > 0 ? "+" : change < 0 ? "\u2212" : "";
    target.textContent = sign + vnNumber(change, decimals);
  }

  // After amount-input.js (deferred in base.html), which runs before DOMContentLoaded.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-current]").forEach(function (input) {
      input.addEventListener("input", function () { update(input); });
      update(input);
    });
  });
})();
