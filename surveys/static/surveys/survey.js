// Disable the send button once a survey form is submitted, so a double tap sends one answer.
// (The server refuses a second answer anyway; this only spares the officer a confusing page.)
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.classList || !form.classList.contains("survey__form")) return;
  var button = form.querySelector(".survey__submit");
  if (button) {
    window.setTimeout(function () { button.disabled = true; }, 0);
  }
});
