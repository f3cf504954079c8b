// The activation link page: "Copy link" puts the link on the clipboard; "Share" (where the
// browser has the Web Share API, i.e. on phones) hands the ready message to Zalo or any
// messenger. Without JavaScript the link and the message stay selectable on the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-activation-share]");
  if (!box) return;
  var url = box.querySelector("[data-activation-url]").value;
  var text = box.querySelector("[data-activation-text]").value;
  var copy = box.querySelector("[data-activation-copy]");
  var share = box.querySelector("[data-activation-share-button]");
  var copied = box.querySelector("[data-activation-copied]");

  function fallbackCopy() {
    var input = box.querySelector("[data-activation-url]");
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }

  copy.hidden = false;
  copy.addEventListener("click", function () {
    var done = function () { copied.hidden = false; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(done, function () { if (fallbackCopy()) done(); });
    } else if (fallbackCopy()) {
      done();
    }
  });

  if (typeof navigator.share === "function") {
    share.hidden = false;
    share.addEventListener("click", function () {
      // The link is inside the text; passing it as `url` too makes some apps send it twice.
      navigator.share({ text: text }).catch(function () {});
    });
  }
})();
