// 000 九.五: a technician not yet on his way when an appointment's notice time comes (the server's
// notice_from: an hour before in the heating season, a day before outside it) must call the customer.
// Worked out on the phone from the job it holds, so the prompt appears in a cellar too.
const NOT_ON_THE_WAY = ["dispatched", "accepted"];

// "at_risk", "told" or null.
export function lateRisk(job, nowMs = Date.now()) {
  if (!job.appointment_at || !job.notice_from || !NOT_ON_THE_WAY.includes(job.status)) return null;
  if (job.customer_told_at) return "told";
  return nowMs >= Date.parse(job.notice_from) ? "at_risk" : null;
}

// The next moment a job's notice time comes (ms), for the screen to be drawn again then; null if none.
export function nextNoticeAt(jobs, nowMs = Date.now()) {
  const coming = (jobs || [])
    .filter((job) => lateRisk(job, nowMs) === null && job.notice_from && NOT_ON_THE_WAY.includes(job.status))
    .map((job) => Date.parse(job.notice_from)).filter((at) => at > nowMs);
  return coming.length ? Math.min(...coming) : null;
}
