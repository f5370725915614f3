// Every form of the desk and the customer's page checks itself in the app's own words, in Chinese,
// beside the field — not in the browser's bubble, which speaks the PC's language ("Please fill out
// this field"). The browser still works out what is wrong (required, pattern, length, number range);
// the server checks everything again and answers in the same words.
const SAY = {
  valueMissing: (field) => (field.matches("select, [type=radio], [type=checkbox]") ? "请选择" : "此项必填"),
  patternMismatch: (field) => field.title || "格式不正确",
  tooLong: (field) => `最多 ${field.maxLength} 字`,
  tooShort: (field) => `至少 ${field.minLength} 字`,
  rangeUnderflow: (field) => `不能小于 ${field.min}`,
  rangeOverflow: (field) => `不能大于 ${field.max}`,
  stepMismatch: () => "数值不符合要求",
  typeMismatch: (field) => field.title || "格式不正确",
  badInput: () => "请输入数字",
};

function wordsFor(field) {
  const problem = Object.keys(SAY).find((name) => field.validity[name]);
  return problem ? SAY[problem](field) : "";
}

// One message per field (a radio group is one field), right after it, read out with the field.
function show(field, words) {
  const anchor = field.type === "radio" ? field.closest("fieldset") || field.parentElement : field;
  const id = `${field.name || field.id}-check`;
  let note = document.getElementById(id);
  if (!words) {
    note?.remove();
    field.removeAttribute("aria-invalid");
    return;
  }
  if (!note) {
    note = document.createElement("span");
    note.className = "field-error";
    note.id = id;
    note.setAttribute("role", "alert");
    anchor.insertAdjacentElement(anchor === field ? "afterend" : "beforeend", note);
  }
  note.textContent = words;
  field.setAttribute("aria-invalid", "true");
  field.setAttribute("aria-describedby", [field.getAttribute("aria-describedby"), id].filter(Boolean)
    .filter((value, index, all) => all.indexOf(value) === index).join(" "));
}

function check(form) {
  let first = null;
  const seen = new Set();
  for (const field of form.elements) {
    if (!field.willValidate || (field.type === "radio" && seen.has(field.name))) continue;
    seen.add(field.name);
    const words = wordsFor(field);
    show(field, words);
    if (words && !first) first = field;
  }
  first?.focus();
  return !first;
}

for (const form of document.querySelectorAll("form")) {
  form.noValidate = true; // the app speaks, not the browser
  form.addEventListener("submit", (event) => {
    if (!check(form)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  form.addEventListener("input", (event) => {
    if (event.target.getAttribute?.("aria-invalid") === "true") show(event.target, wordsFor(event.target));
  });
}

// A form that cannot be undone (delete a draft, reset a password, deactivate someone) asks first:
// <form data-confirm="…">. Without this module the form still works, unasked.
document.querySelectorAll("form[data-confirm]").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) event.preventDefault();
  });
});
