// Sign in with the badge number (工号), and the polite refusal for desk roles.
import { h } from "./dom.js";

function field(id, label, attrs) {
  return h("div", { class: "field" },
    h("label", { class: "field__label", for: id }, label),
    h("input", { class: "field__input", id, name: id, required: true, ...attrs }));
}

// signIn(username, password) resolves when signed in, or rejects with an ApiError
// whose message is shown as the server wrote it.
export function renderLogin({ signIn }) {
  const error = h("p", { class: "notice notice--error", role: "alert", hidden: true });
  const button = h("button", { class: "button button--primary button--block", type: "submit" }, "登录");
  const form = h("form", { class: "login", novalidate: true },
    h("h2", { class: "login__title" }, "师傅登录"),
    h("p", { class: "login__hint" }, "用工号和密码登录,查看派给您的工单。"),
    field("username", "工号", {
      autocomplete: "username", autocapitalize: "characters", spellcheck: "false", placeholder: "例如 T1001",
    }),
    field("password", "密码", { type: "password", autocomplete: "current-password" }),
    error,
    button);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username || !password) return showError(error, "请填写工号和密码。");
    button.disabled = true;
    button.textContent = "正在登录…";
    try {
      await signIn(username, password);
    } catch (failure) {
      showError(error, failure.message);
      form.elements.password.select();
    } finally {
      button.disabled = false;
      button.textContent = "登录";
    }
  });
  return form;
}

function showError(el, message) {
  el.textContent = message;
  el.hidden = false;
}

// A dispatcher or back-office user who opened the phone app by mistake.
export function renderWrongRole(user, { signOut }) {
  return h("section", { class: "panel" },
    h("h2", { class: "panel__title" }, "此应用供维修师傅使用"),
    h("p", {}, `您以“${user.role_label}”身份登录(${user.name})。请使用桌面端办理业务。`),
    h("a", { class: "button button--primary button--block", href: "/" }, "前往桌面端"),
    h("button", { class: "button button--secondary button--block", type: "button", on: { click: signOut } },
      "退出登录"));
}
