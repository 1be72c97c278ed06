// Drag-and-drop ordering of the entries on the compose page; the arrow buttons do the same without script.
// On drop the new order is posted with htmx, which swaps in the list as the server stored it.
(function () {
  "use strict";
  let dragged = null;
  document.addEventListener("dragstart", function (e) {
    const item = e.target.closest && e.target.closest("#entry-list [data-entry]");
    if (!item) return;
    dragged = item;
    e.dataTransfer.effectAllowed = "move";
  });
  document.addEventListener("dragover", function (e) {
    const item = e.target.closest && e.target.closest("#entry-list [data-entry]");
    if (!dragged || !item || item === dragged) return;
    e.preventDefault();
    const rect = item.getBoundingClientRect();
    const after = e.clientY > rect.top + rect.height / 2;
    item.parentNode.insertBefore(dragged, after ? item.nextSibling : item);
  });
  document.addEventListener("drop", function (e) {
    if (!dragged) return;
    e.preventDefault();
    const list = document.getElementById("entry-list");
    const order = Array.from(list.querySelectorAll("[data-entry]")).map(function (li) { return li.dataset.entry; });
    dragged = null;
    if (window.htmx) {
      window.htmx.ajax("POST", list.dataset.reorderUrl, { target: "#entries", values: { order: order } });
    }
  });
  document.addEventListener("dragend", function () { dragged = null; });
})();
