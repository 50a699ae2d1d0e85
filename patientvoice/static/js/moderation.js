// Moderators' pages: small enhancements; everything works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // The queue from the keyboard: j and k move focus to the next and previous item.
  const links = Array.from(document.querySelectorAll(".queue-item-link"));
  if (links.length) {
    const hint = document.getElementById("queue-keys");
    if (hint) hint.hidden = false;
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target;
      // Typing stays typing; a ticked checkbox or a link still moves on.
      if (target instanceof HTMLElement && target.closest("input:not([type=checkbox]):not([type=radio]), textarea, select, [contenteditable]")) return;
      if (event.key !== "j" && event.key !== "k") return;
      const current = links.findIndex((link) => link.closest(".queue-item")?.contains(document.activeElement));
      let next = event.key === "j" ? current + 1 : current - 1;
      if (current === -1) next = event.key === "j" ? 0 : links.length - 1;
      if (next < 0 || next >= links.length) return;
      event.preventDefault();
      links[next].focus();
      links[next].closest(".queue-item")?.scrollIntoView({ block: "nearest" });
    });
  }

  // The decision form: show only the fields the chosen action needs (label text,
  // suspension date, edited text, move target). Without JavaScript all are shown.
  const form = document.querySelector(".decision-form");
  if (form) {
    const extras = Array.from(form.querySelectorAll(".decision-extra[data-for-action]"));
    const update = () => {
      const chosen = form.querySelector("input[name=action]:checked");
      extras.forEach((extra) => {
        const wanted = chosen && chosen.value === extra.dataset.forAction;
        // A field with an error stays visible, whatever is chosen.
        extra.hidden = !wanted && !extra.querySelector("[aria-invalid=true]");
      });
    };
    form.addEventListener("change", (event) => {
      if (event.target instanceof HTMLInputElement && event.target.name === "action") update();
    });
    update();
  }
});
