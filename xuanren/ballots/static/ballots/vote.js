// A QR code opens /vote/#CODE: the fragment is never sent to the server, so the code stays out
// of every access log. Copy it into the form and drop it from the address bar.
(function () {
  var input = document.getElementById("code");
  if (!input || !window.location.hash) { return; }
  input.value = decodeURIComponent(window.location.hash.slice(1));
  history.replaceState(null, "", window.location.pathname);
})();
