// A price list version at the desk: filter the items as you type (forms.js confirms what cannot be undone).
// The page works without this module; it only saves scrolling and mistakes.

// Case- and width-insensitive, so "dn20", "ＤＮ２０" and "DN20" all find the DN20 valve.
export function normalise(text) {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

export function matches(rowText, query) {
  const wanted = normalise(query).split(" ").filter(Boolean);
  const text = normalise(rowText);
  return wanted.every((word) => text.includes(word));
}

function filterRows(table, query, none) {
  let shown = 0;
  table.querySelectorAll("tbody[data-group]").forEach((group) => {
    let inGroup = 0;
    group.querySelectorAll("tr[data-filter-text]").forEach((row) => {
      row.hidden = !matches(row.dataset.filterText, query);
      if (!row.hidden) inGroup += 1;
    });
    group.hidden = inGroup === 0;
    shown += inGroup;
  });
  if (none) none.hidden = shown > 0 || !query;
}

function startFilter(input) {
  const table = document.getElementById(input.dataset.filterFor);
  if (!table) return;
  const none = document.getElementById(`${table.id}-none`);
  input.addEventListener("input", () => filterRows(table, input.value, none));
  // Escape clears the filter: the whole list is one key away.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && input.value) {
      input.value = "";
      filterRows(table, "", none);
    }
  });
}

document.querySelectorAll("input[data-filter-for]").forEach(startFilter);
