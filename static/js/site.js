// Small enhancements; every page works without them.
document.addEventListener("htmx:configRequest", (event) => {
  // htmx posts carry the CSRF token that Django put in the page.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const target = document.getElementById(button.dataset.copy);
  if (!target) return;
  const done = (label) => { button.textContent = label; button.setAttribute("aria-live", "polite"); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(target.textContent.trim()).then(() => done("Copied"), () => done("Copy failed"));
  } else {
    // No clipboard access (a plain-http page): select the text so the person can copy it themselves.
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    done("Selected: press Ctrl+C");
  }
});
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) window.print();
});
document.addEventListener("htmx:pushedIntoHistory", () => {
  // "Complete and continue" swapped in the next page: start it at the top, with focus where a page load puts it.
  window.scrollTo(0, 0);
  const main = document.getElementById("main");
  if (main) main.focus({ preventScroll: true });
});
