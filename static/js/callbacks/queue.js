// The callback queue: windows count down live, and the filters apply on change.
import { startCountdowns } from "../clocks/countdown.js";

startCountdowns(document);

const filters = document.querySelector("form[data-autosubmit]");
filters?.addEventListener("change", () => filters.requestSubmit());
