// Working one callback: its window counts down; "未解决" asks for the customer's words and
// explains that the order goes back to dispatch (the server checks the same).
import { startCountdowns } from "../clocks/countdown.js";

startCountdowns(document);

const form = document.querySelector("[data-answer-form]");
if (form) {
  const comment = form.querySelector("#comment");
  const note = form.querySelector("[data-unsolved-note]");
  const close = form.querySelector("[data-close-choice]");
  const show = () => {
    const unsolved = form.querySelector("input[name=solved]:checked")?.value === "no";
    comment.required = unsolved;
    note.hidden = !unsolved;
    close.hidden = unsolved;
  };
  form.addEventListener("change", show);
  show();
}
