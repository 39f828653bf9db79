// Ask before submitting a form marked data-confirm="question" (the page's CSP forbids inline script).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
