(function () {
  "use strict";
  var box = document.getElementById("tl-filter");
  if (!box) { return; }
  var type = document.getElementById("f-type");
  var corr = document.getElementById("f-corr");
  box.hidden = false;
  function matches(item) {
    return (!type.value || item.getAttribute("data-type") === type.value) &&
      (!corr.value || item.getAttribute("data-corroboration") === corr.value);
  }
  function apply() {
    var groups = document.querySelectorAll(".tl-group");
    for (var g = 0; g < groups.length; g++) {
      var items = groups[g].querySelectorAll(".tl-item");
      var shown = 0;
      for (var i = 0; i < items.length; i++) {
        items[i].hidden = !matches(items[i]);
        shown += items[i].hidden ? 0 : 1;
      }
      groups[g].hidden = shown === 0;
    }
  }
  type.addEventListener("change", apply);
  corr.addEventListener("change", apply);
})();
