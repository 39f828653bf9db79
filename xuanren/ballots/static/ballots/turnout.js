// Refresh the live count of codes that have voted (never which) every few seconds.
(function () {
  var box = document.getElementById("turnout");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  function refresh() {
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (d) {
      document.getElementById("turnout-voted").textContent = d.voted;
      document.getElementById("turnout-ballots").textContent = d.ballots;
    }).catch(function () {});
  }
  window.setInterval(refresh, 3000);
})();
