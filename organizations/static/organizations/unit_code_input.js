// Suggests units for a unit-code input as the user types: fills its <datalist> from the scoped
// search (a name or code fragment). Without this script the input still takes a code.
(function () {
  var inputs = document.querySelectorAll("input[data-unit-search]");
  Array.prototype.forEach.call(inputs, function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var query = input.value.trim();
        if (query.length < 2 || query === asked) return;
        asked = query;
        var url = input.getAttribute("data-unit-search") + "?q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (query !== asked) return; // a later request is on its way
            list.replaceChildren.apply(list, data.results.map(function (unit) {
              var option = document.createElement("option");
              option.value = unit.code;
              option.textContent = unit.label;
              return option;
            }));
          })
          .catch(function () { asked = ""; });
      }, 250);
    });
  });
})();
