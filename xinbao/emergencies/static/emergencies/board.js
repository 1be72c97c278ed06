// Duty board countdowns: every element with data-due (ISO time) shows the time left, or how long it is overdue
// in red. Runs every second on the client; the board panel itself is re-fetched by htmx polling, after which the
// new elements are picked up on the next tick.
(function () {
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function format(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return (h > 0 ? h + ":" : "") + pad(m) + ":" + pad(sec);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Date.parse(el.getAttribute("data-due"));
      if (isNaN(due)) { return; }
      var left = due - now;
      var overdue = left <= 0;
      var label = overdue ? (el.getAttribute("data-overdue-label") || "已逾期") : (el.getAttribute("data-left-label") || "剩余");
      el.textContent = label + " " + format(left);
      el.classList.toggle("text-danger", overdue);
      el.classList.toggle("fw-bold", overdue);
      el.classList.toggle("countdown-overdue", overdue);
      var row = el.closest("[data-deadline-row]");
      if (row) { row.classList.toggle("table-danger", overdue); }
    });
  }
  tick();
  setInterval(tick, 1000);
})();
