// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first field with an error so keyboard and screen-reader users land on it.
  const invalid = document.querySelector("[aria-invalid=true]");
  if (invalid) invalid.focus();
  // A region that still scrolls sideways (a very wide table) must be reachable by
  // keyboard, so its content can be scrolled into view without a mouse.
  document.querySelectorAll(".post-body pre, .post-body table").forEach((region) => {
    if (region.scrollWidth > region.clientWidth) region.tabIndex = 0;
  });
  // Confirm dialogs for destructive actions (data-confirm="...").
  document.querySelectorAll("form[data-confirm]").forEach((form) => {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
});
