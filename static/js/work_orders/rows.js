// A whole row opens its order: a click anywhere on it (not only on the number), as on the board. The number
// stays a real link, so keyboards, middle clicks and screen readers keep working as they did.
for (const row of document.querySelectorAll("tr[data-href]")) {
  row.addEventListener("click", (event) => {
    if (event.target.closest("a, button, input, select, label") || window.getSelection()?.toString()) return;
    if (event.ctrlKey || event.metaKey) window.open(row.dataset.href, "_blank", "noopener");
    else window.location.assign(row.dataset.href);
  });
}
