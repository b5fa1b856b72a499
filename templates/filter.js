(function () {
  var input = document.getElementById("filter");
  var items = document.querySelectorAll("#articles li");
  input.addEventListener("input", function () {
    var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
    items.forEach(function (li) {
      var title = li.textContent.toLocaleLowerCase();
      li.hidden = !words.every(function (w) { return title.indexOf(w) >= 0; });
    });
  });
})();
