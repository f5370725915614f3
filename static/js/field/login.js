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
  // data-hold: a background repaint (a pull landing) leaves the form alone — nothing synced is shown on it, and
  // what is typed and a refusal's message live only here.
  const form = h("form", { class: "login", novalidate: true, data: { hold: "" } },
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

// A first password from the admin (or a reset): the technician chooses their own before the jobs open;
// or, from 我的工单 › 修改密码, a new one whenever they like (voluntary: back instead of sign out).
// change(current, next, again) resolves when saved, or rejects with an ApiError naming the field.
export function renderNewPassword(user, { change, signOut, voluntary = false }) {
  const error = h("p", { class: "notice notice--error", role: "alert", hidden: true });
  const button = h("button", { class: "button button--primary button--block", type: "submit" }, "保存新密码");
  // data-hold: a background repaint (a pull landing) leaves the form alone — nothing synced is shown on it, and
  // what is typed and a refusal's message live only here.
  const form = h("form", { class: "login", novalidate: true, data: { hold: "" } },
    h("h2", { class: "login__title" }, voluntary ? "修改密码" : "请设置自己的密码"),
    h("p", { class: "login__hint" }, voluntary ? "保存后,其他已登录的手机和电脑须用新密码重新登录。"
      : `${user.name},您正在使用管理员给的初始密码。设置自己的密码后才能查看工单。`),
    field("current", voluntary ? "当前密码" : "初始密码", { type: "password", autocomplete: "current-password" }),
    field("new", "新密码(至少 8 位)", { type: "password", autocomplete: "new-password", minlength: 8 }),
    field("again", "再输一次新密码", { type: "password", autocomplete: "new-password" }),
    error,
    button,
    voluntary ? h("a", { class: "button button--secondary button--block", href: "#/jobs" }, "返回")
      : h("button", { class: "button button--secondary button--block", type: "button", on: { click: signOut } },
        "退出登录"));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [current, next, again] = ["current", "new", "again"].map((name) => form.elements[name].value);
    if (!current || !next || !again) return showError(error, "请填写当前密码,并输入两次新密码。");
    if (next !== again) return showError(error, "两次输入的新密码不一致。");
    if (!navigator.onLine) return showError(error, "需要联网才能设置新密码。");
    button.disabled = true;
    try {
      await change(current, next, again);
    } catch (failure) {
      showError(error, Object.values(failure.fields || {}).flat()[0] || failure.message);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
