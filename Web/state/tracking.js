// Decision tracking (Beschlusscontrolling) of catalogue entries: pure helpers for the
// status, the council decisions, the implementation reports, the indicators' course as a
// table, and the two forms' payloads. No DOM, no I/O.

export const TRACKING_STATUSES = Object.freeze(['submitted', 'rated', 'adopted', 'rejected', 'deferred', 'inImplementation', 'implemented', 'stopped']);
export const DECISION_OUTCOMES = Object.freeze(['adopted', 'amended', 'rejected', 'deferred']);
export const IMPLEMENTATION_STATUSES = Object.freeze(['notStarted', 'inProgress', 'implemented', 'stopped']);

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayISO(now = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Decisions, newest first (by date, then by id for a stable order). */
export function sortedDecisions(entry) {
  const list = Array.isArray(entry?.decisions) ? entry.decisions.slice() : [];
  return list.sort((a, b) => String(b.decidedOn).localeCompare(String(a.decidedOn)) || String(b.id).localeCompare(String(a.id)));
}

/** Reports, newest first. */
export function sortedReports(entry) {
  const list = Array.isArray(entry?.reports) ? entry.reports.slice() : [];
  return list.sort((a, b) => String(b.reportedOn).localeCompare(String(a.reportedOn)) || String(b.id).localeCompare(String(a.id)));
}

/**
 * One indicator's course for the table next to its chart: the reported values, oldest
 * first, as { date, value }.
 */
export function indicatorSeries(entry, index) {
  const rows = [];
  for (const report of Array.isArray(entry?.reports) ? entry.reports : []) {
    for (const v of Array.isArray(report.values) ? report.values : []) {
      if (v.indicator === index && typeof v.value === 'number' && Number.isFinite(v.value)) rows.push({ date: String(report.reportedOn), value: v.value });
    }
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date));
}

/** Whether a due date (YYYY-MM-DD) lies before today. */
export function isOverdue(dueOn, today = todayISO()) {
  return typeof dueOn === 'string' && DAY.test(dueOn) && dueOn < today;
}

/**
 * A number as people type it: "1.234,5" or "1234.5" or "12,5". Returns null for empty,
 * NaN for something that is not a number.
 */
export function parseNumber(text) {
  let s = String(text ?? '').trim().replace(/\s|\u00A0/g, '');
  if (s === '') return null;
  if (s.includes(',')) s = s.replace(/\./g, '').replace(',', '.');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) return NaN;
  return Number(s);
}

/** The decision form's values → { body, issues } for POST …/decisions. */
export function decisionPayload({ decidedOn, body, outcome, note }, today = todayISO()) {
  const issues = [];
  const day = String(decidedOn ?? '').trim();
  const name = String(body ?? '').split(/\s+/).filter(Boolean).join(' ');
  if (!DAY.test(day)) issues.push({ field: 'decidedOn', code: 'invalidDate', message: 'A date of the form YYYY-MM-DD.' });
  else if (day > today) issues.push({ field: 'decidedOn', code: 'inFuture', message: 'A decision cannot lie in the future.' });
  if (name.length < 2 || name.length > 120) issues.push({ field: 'body', code: 'length', message: 'The deciding body, 2 to 120 characters.' });
  if (!DECISION_OUTCOMES.includes(outcome)) issues.push({ field: 'outcome', code: 'required', message: 'Choose an outcome.' });
  const text = String(note ?? '').trim();
  if (text.length > 4000) issues.push({ field: 'note', code: 'tooLong', message: 'At most 4000 characters.' });
  return { body: { decidedOn: day, body: name, outcome, note: text }, issues };
}

/**
 * The report form's values → { body, issues } for POST …/reports. `values` are the
 * inputs' texts by indicator position; empty ones are left out.
 */
export function reportPayload({ reportedOn, status, values = [], note }, today = todayISO()) {
  const issues = [];
  const day = String(reportedOn ?? '').trim();
  if (!DAY.test(day)) issues.push({ field: 'reportedOn', code: 'invalidDate', message: 'A date of the form YYYY-MM-DD.' });
  else if (day > today) issues.push({ field: 'reportedOn', code: 'inFuture', message: 'A report cannot lie in the future.' });
  if (!IMPLEMENTATION_STATUSES.includes(status)) issues.push({ field: 'status', code: 'required', message: 'Choose a status.' });
  const out = [];
  values.forEach((text, indicator) => {
    const value = parseNumber(text);
    if (value === null) return;
    if (!Number.isFinite(value)) issues.push({ field: `values[${indicator}].value`, code: 'invalidNumber', message: 'A number.', indicator });
    else out.push({ indicator, value });
  });
  const text = String(note ?? '').trim();
  if (text.length > 8000) issues.push({ field: 'note', code: 'tooLong', message: 'At most 8000 characters.' });
  return { body: { reportedOn: day, status, values: out, note: text }, issues };
}
