// The printable purchase order: its Print button. Static file: the CSP forbids inline script.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element && event.target.closest("[data-print]");
    if (button) window.print();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.isComposing) {
      const back = document.querySelector("[data-cancel]");
      if (back) back.click();
    }
  });
})();
