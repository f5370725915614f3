// A work order at the desk: its running clocks count down live.
import { startCountdowns } from "../clocks/countdown.js";

startCountdowns(document);
