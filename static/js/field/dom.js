// A tiny element builder. Screens build nodes instead of HTML strings, so text from the
// server (names, addresses, notes) can never become markup, and nothing needs innerHTML.

// Text carrying bidi embeddings or overrides (a name ending in U+202E) is wrapped in an isolate, so what
// it reverses ends with it instead of running on into the phone number shown after it.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

export function isolated(text) {
  return BIDI_CONTROLS.test(text) ? `\u2068${text}\u2069` : text;
}

function append(el, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) child.forEach((c) => append(el, c));
  else el.append(child instanceof Node ? child : isolated(String(child)));
}

// h("a", { class: "card", href: "#/jobs/1", on: { click } }, "text", otherNode)
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "on") Object.entries(value).forEach(([type, fn]) => el.addEventListener(type, fn));
    else if (key === "data") Object.assign(el.dataset, value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  append(el, children);
  return el;
}

export function replaceChildren(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

// A labelled textarea (label, optional hint), calling onInput(value) as the technician types.
export function textArea(id, label, value, onInput, { hint = null, rows = 3, required = false } = {}) {
  const area = h("textarea", { class: "field__input field__input--area", id, name: id, rows, required,
    "aria-describedby": hint ? `${id}-hint` : null });
  area.value = value || "";
  area.addEventListener("input", () => onInput(area.value));
  return h("div", { class: "field" },
    h("label", { class: "field__label", for: id }, label),
    hint ? h("p", { class: "field__hint", id: `${id}-hint` }, hint) : null,
    area);
}
