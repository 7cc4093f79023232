// Amount inputs (data-amount="vnd|usd|ha|people"): below the box, the amount as the server will read it,
// grouped and in tỷ / triệu ("245.000.000.000 đồng · 245 tỷ đồng"), or a note that it cannot be read.
// The rules are kcn_portal/core/amounts.py's (the server decides; this only shows the reading early).
// window.kcnAmount.parse / toNumber serve the other scripts (licence-form.js).
(function () {
  "use strict";

  var SPACE = /[ \u00a0\u202f]/;

  // "1.234.567,89" -> {sign: "", whole: "1234567", fraction: "89"}; null when blank; undefined when unreadable.
  function parse(text) {
    var raw = String(text == null ? "" : text).trim();
    if (!raw) return null;
    var sign = "";
    if (raw.charAt(0) === "-" || raw.charAt(0) === "\u2212") {
      sign = "-";
      raw = raw.slice(1).trim();
    }
    if (SPACE.test(raw)) {
      if (raw.indexOf(".") >= 0 || !/^\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?$/.test(raw)) return undefined;
      raw = raw.replace(/[ \u00a0\u202f]/g, ".");
    }
    if (/^\d{1,3},\d{3}$/.test(raw)) return undefined; // "1,234": a thousand or 1,234? refused
    var match;
    if ((raw.match(/\./g) || []).length === 1 && raw.indexOf(",") < 0 && !/\.\d{3}$/.test(raw)) {
      match = /^(\d+)(?:\.(\d+))?$/.exec(raw); // "1234.56": a decimal point
    } else {
      match = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?$/.exec(raw); // "1.234.567,89"
    }
    if (!match) return undefined;
    return { sign: sign, whole: match[1].replace(/\./g, "").replace(/^0+(?=\d)/, ""), fraction: match[2] || "" };
  }

  function toNumber(text) {
    var amount = parse(text);
    return amount ? Number(amount.sign + amount.whole + "." + (amount.fraction || "0")) : NaN;
  }

  function group(whole) {
    return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  // 1.5 -> "1,5"; 245 -> "245" (at most two decimals, Vietnamese marks).
  function short(value) {
    var parts = value.toFixed(2).replace(/0+$/, "").replace(/\.$/, "").split(".");
    return group(parts[0]) + (parts[1] ? "," + parts[1] : "");
  }

  function reading(input) {
    var amount = parse(input.value);
    var unit = input.dataset.unit || "";
    var decimals = parseInt(input.dataset.decimals || "0", 10);
    if (amount === null) return { text: "" };
    var example = decimals ? "1.234.567,89 / 1234567.89" : "1.234.567 / 1234567";
    if (amount === undefined) {
      return { text: (input.dataset.invalidText || "Chưa đọc được số này; hãy viết") + " " + example, bad: true };
    }
    var fraction = amount.fraction.replace(/0+$/, "");
    if (fraction.length > decimals) {
      var note = decimals ? "tối đa " + decimals + " chữ số thập phân" : "không có phần lẻ";
      return { text: unit + ": " + note + " (" + example + ")", bad: true };
    }
    var text = amount.sign + group(amount.whole) + (fraction ? "," + fraction : "") + " " + unit;
    var value = Number(amount.whole + "." + (fraction || "0"));
    var words = [[1e9, input.dataset.wordBillion || "tỷ"], [1e6, input.dataset.wordMillion || "triệu"]];
    for (var i = 0; i < words.length; i++) {
      if (value >= words[i][0]) {
        text += " · " + amount.sign + short(value / words[i][0]) + " " + words[i][1] + " " + unit;
        break;
      }
    }
    return { text: text.trim() };
  }

  function hintFor(input) {
    var hint = input.id && document.querySelector('[data-amount-hint-for="' + input.id + '"]');
    if (!hint) {
      hint = document.createElement("div");
      hint.className = "form-text amount-hint";
      hint.setAttribute("aria-live", "polite");
      if (input.id) hint.setAttribute("data-amount-hint-for", input.id);
      input.insertAdjacentElement("afterend", hint);
    }
    return hint;
  }

  function enhance(input) {
    var hint = hintFor(input);
    function update() {
      var result = reading(input);
      hint.textContent = result.text;
      hint.classList.toggle("text-danger", !!result.bad);
    }
    input.addEventListener("input", update);
    update();
  }

  window.kcnAmount = { parse: parse, toNumber: toNumber };
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-amount]").forEach(enhance);
  });
})();
