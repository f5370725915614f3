// Intake: find the household while the customer talks, then propose the technician for its area.
import { isolated } from "../field/dom.js";

const form = document.querySelector("form[data-intake]");
const search = document.getElementById("household-search");
const results = document.getElementById("household-results");
const hidden = document.getElementById("household_id");
const card = document.getElementById("household-card");
const technician = document.getElementById("technician_id");
const proposal = document.getElementById("proposal");
const urgentNote = document.querySelector("[data-urgent-note]");
const DEBOUNCE_MS = 180;

let timer = null;
let matches = [];
let active = -1;

async function getJson(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error((await response.json()).message || response.statusText);
  return response.json();
}

function renderResults() {
  results.replaceChildren(...matches.map((h, i) => {
    const item = document.createElement("li");
    item.role = "option";
    item.id = `household-option-${i}`;
    item.className = i === active ? "is-active" : "";
    item.textContent = `${isolated(h.name)} · ${h.account_number} · ${h.phone} · ${isolated(h.address)}`;
    item.addEventListener("mousedown", (event) => { event.preventDefault(); choose(h); });
    return item;
  }));
  results.hidden = matches.length === 0;
  search.setAttribute("aria-expanded", String(!results.hidden));
  search.setAttribute("aria-activedescendant", active >= 0 ? `household-option-${active}` : "");
}

async function lookUp() {
  const q = search.value.trim();
  if (q.length < 2) { matches = []; renderResults(); return; }
  matches = await getJson(`/api/v1/households?q=${encodeURIComponent(q)}`);
  active = matches.length ? 0 : -1;
  renderResults();
}

function choose(household) {
  hidden.value = household.id;
  card.hidden = false;
  card.replaceChildren();
  const name = document.createElement("strong");
  name.textContent = isolated(household.name);
  const area = document.createElement("small");
  area.textContent = `${household.branch.name} · ${household.area.name}`;
  card.append(name, ` 户号 ${household.account_number} · ${household.phone}`, document.createElement("br"),
    household.address, document.createElement("br"), area);
  matches = [];
  renderResults();
  search.value = "";
  propose(household.id);
  document.querySelector("input[name=category]:checked, input[name=category]")?.focus();
}

async function propose(householdId) {
  const data = await getJson(`/api/v1/dispatch/proposal?household_id=${householdId}`);
  const options = data.candidates.map(({ technician: t, open_load: load, in_area: inArea }) => {
    const option = new Option(`${t.name}(${t.badge_number}${inArea ? ",本片区" : ""},在办 ${load})`, t.id);
    option.selected = data.proposed && t.id === data.proposed.id;
    return option;
  });
  technician.replaceChildren(new Option("暂不派单", ""), ...options);
  proposal.textContent = data.proposed
    ? `建议派给 ${data.proposed.name}:${data.area.name}在办工单最少的师傅(${data.branch.name})。`
    : `${data.branch.name}暂无在岗师傅,请手动安排。`;
}

search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(lookUp, DEBOUNCE_MS); });
search.addEventListener("keydown", (event) => {
  if (!matches.length) return;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    active = (active + (event.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
    renderResults();
  } else if (event.key === "Enter") {
    event.preventDefault();
    choose(matches[Math.max(active, 0)]);
  } else if (event.key === "Escape") {
    matches = []; renderResults();
  }
});

function showUrgency() {
  const urgent = form.querySelector("input[name=category][value=urgent_leak]")?.checked;
  urgentNote.hidden = !urgent;
  form.classList.toggle("intake--urgent", Boolean(urgent));
}
form.addEventListener("change", showUrgency);
showUrgency();
if (hidden.value) propose(hidden.value);
// A quick dispatcher may type before this module has loaded: search what is already there.
if (search.value.trim()) lookUp();
