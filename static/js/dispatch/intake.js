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
const none = document.getElementById("household-none");
const newHousehold = document.getElementById("new-household");
const submit = document.getElementById("intake-submit");
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
  if (q.length < 2) { matches = []; renderResults(); sayNoneFound(null); return; }
  const url = new URL(form.dataset.householdsUrl, location.href);
  url.searchParams.set("q", q);
  const found = await getJson(url);
  if (search.value.trim() !== q) return; // typed on meanwhile: the newer search answers
  matches = found;
  active = matches.length ? 0 : -1;
  renderResults();
  sayNoneFound(matches.length ? null : q);
}

// Nothing matched: say so, with the way to add the household at hand.
function sayNoneFound(q) {
  none.hidden = q === null;
  if (q !== null) none.querySelector("span").textContent = `没有找到“${q}”。`;
}

// A new query is a new caller, or a correction: the household chosen before is no longer chosen, so an
// order cannot be filed against the flat of the previous search.
function forgetChosen() {
  if (!hidden.value) return;
  hidden.value = "";
  card.hidden = true;
  card.replaceChildren();
  technician.replaceChildren(new Option("暂不派单", ""));
  proposal.textContent = "";
  sayWhatSubmitDoes();
}

function sayWhatSubmitDoes() {
  submit.textContent = technician.value ? "受理并派单" : "仅受理";
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
  sayNoneFound(null);
  search.value = "";
  propose(household.id);
  showFile(household.id);
  document.querySelector("input[name=category]:checked, input[name=category]")?.focus();
}

// 一户一档 at a glance: has this household called already this week, and what came of it.
async function showFile(householdId) {
  const data = await getJson(`${form.dataset.householdsUrl}/${householdId}`);
  if (hidden.value !== String(householdId)) return; // another household chosen meanwhile
  const line = document.createElement("p");
  line.className = data.calls_this_week ? "household-card__calls household-card__calls--again" : "household-card__calls";
  line.textContent = data.calls_this_week ? `近 7 天已来电 ${data.calls_this_week} 次` : "近 7 天没有来电";
  const recent = data.recent_orders.map((o) => `${o.number} ${o.category_label} ${o.status_label}`).join(";");
  const link = document.createElement("a");
  link.href = `${form.dataset.householdPagesUrl}/${householdId}`;
  link.textContent = "查看档案";
  link.target = "_blank"; // the form being filled in stays as it is
  link.rel = "noopener";
  line.append(recent ? `(${recent})` : "", " ", link);
  card.append(line);
}

async function propose(householdId) {
  const url = new URL(form.dataset.proposalUrl, location.href);
  url.searchParams.set("household_id", householdId);
  const data = await getJson(url);
  const options = data.candidates.map(({ technician: t, open_load: load, in_area: inArea }) => {
    const option = new Option(`${t.name}(${t.badge_number}${inArea ? ",本片区" : ""},在办 ${load})`, t.id);
    option.selected = data.proposed && t.id === data.proposed.id;
    return option;
  });
  technician.replaceChildren(new Option("暂不派单", ""), ...options);
  proposal.textContent = data.proposed
    ? `建议派给 ${data.proposed.name}:${data.area.name}在办工单最少的师傅(${data.branch.name})。`
    : `${data.branch.name}暂无在岗师傅,请手动安排。`;
  sayWhatSubmitDoes();
}

search.addEventListener("input", () => {
  forgetChosen();
  clearTimeout(timer);
  timer = setTimeout(lookUp, DEBOUNCE_MS);
});
technician.addEventListener("change", sayWhatSubmitDoes);
none.querySelector("[data-new-household]").addEventListener("click", () => {
  newHousehold.open = true;
  document.getElementById("new-account-number").focus();
});
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
sayWhatSubmitDoes();
if (hidden.value) propose(hidden.value);
// A quick dispatcher may type before this module has loaded: search what is already there.
if (search.value.trim()) lookUp();
