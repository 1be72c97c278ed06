// Small progressive enhancements; every page works without them.
document.addEventListener("htmx:responseError", function (evt) {
  var box = document.getElementById("htmx-error");
  if (box) { box.textContent = "请求失败（" + evt.detail.xhr.status + "），请稍后重试。"; box.classList.remove("d-none"); }
});
