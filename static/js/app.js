// Small progressive enhancements; every page works without them.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("htmx-error");
  if (!box) { return; }
  // The page puts the translated text in data-message; "{status}" stands for the HTTP status.
  var template = box.getAttribute("data-message") || "请求失败（{status}），请稍后重试。";
  box.textContent = template.replace("{status}", evt.detail.xhr.status);
  box.classList.remove("d-none");
});

// Unit tree: a toggle shows or hides its children list. htmx fetches the children on the first click only
// (hx-trigger="click once"); afterwards the list is just shown or hidden here.
document.addEventListener("click", function (evt) {
  var button = evt.target.closest("[data-tree-toggle]");
  if (!button) { return; }
  var list = document.getElementById(button.getAttribute("aria-controls"));
  if (!list) { return; }
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", open ? "true" : "false");
  list.hidden = !open;
});
