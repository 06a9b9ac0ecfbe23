// Recurring meetings (issue 4): the pure parts of the series planner and the series page.
// Nothing here touches the DOM, the network or the clock ("now" is an argument).
//
// The hub takes the rule as RRULE text (a subset of RFC 5545: weekly with INTERVAL and BYDAY,
// monthly by ordinal weekday `2TU`/`-1FR` or by month day, ending by COUNT, UNTIL or never)
// and refuses other parts by name; these helpers build that text from the planner's fields
// and check what the hub would refuse, so most mistakes are shown before sending.
// Shapes: Sources/HubServices/Views/MeetingSeriesViews.swift.

import { plannerBody } from './meetings.js';

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
export const FREQUENCIES = ['weekly', 'monthly'];
export const MONTHLY_MODES = ['weekday', 'lastWeekday', 'monthDay'];
export const ENDS = ['count', 'until', 'never'];
export const MAX_COUNT = 500;
export const MAX_INTERVAL = 99;

function parts(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(date ?? ''));
  return m ? { y: Number(m[1]), mo: Number(m[2]), d: Number(m[3]) } : null;
}

/** The RRULE weekday code of a date "2026-04-14" → "TU"; null for no date. */
export function weekdayOf(date) {
  const p = parts(date);
  if (!p) return null;
  const js = new Date(Date.UTC(p.y, p.mo - 1, p.d)).getUTCDay(); // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7];
}

/** Which of its weekday in the month a date is: 1 for the first … 5 for the fifth. */
export function ordinalOf(date) {
  const p = parts(date);
  return p ? Math.floor((p.d - 1) / 7) + 1 : null;
}

/** Whether no later day of the same weekday follows in the month. */
export function isLastOfMonth(date) {
  const p = parts(date);
  if (!p) return false;
  const days = new Date(Date.UTC(p.y, p.mo, 0)).getUTCDate();
  return p.d + 7 > days;
}

/**
 * The RRULE text from the planner's recurrence fields, or the errors (`{field, code}`, field
 * names as the form's): `{ frequency, interval, weekdays: ['TU'], monthlyMode, end, count, until }`
 * for a series whose first meeting is on `startDate`.
 */
export function buildRule(r, startDate) {
  const errors = [];
  const frequency = FREQUENCIES.includes(r.frequency) ? r.frequency : null;
  if (!frequency) errors.push({ field: 'frequency', code: 'required' });
  const interval = Number(r.interval ?? 1);
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL) errors.push({ field: 'interval', code: 'range' });
  const startDay = weekdayOf(startDate);
  const out = [`FREQ=${(frequency ?? 'weekly').toUpperCase()}`];
  if (interval !== 1 && Number.isInteger(interval)) out.push(`INTERVAL=${interval}`);
  const end = ENDS.includes(r.end) ? r.end : 'never';
  if (end === 'count') {
    const count = Number(r.count);
    if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) errors.push({ field: 'count', code: 'range' });
    else out.push(`COUNT=${count}`);
  } else if (end === 'until') {
    const until = String(r.until ?? '');
    if (!parts(until)) errors.push({ field: 'until', code: 'required' });
    else if (startDate && until < startDate) errors.push({ field: 'until', code: 'beforeStart' });
    else out.push(`UNTIL=${until.replaceAll('-', '')}`);
  }
  if (frequency === 'weekly') {
    const days = WEEKDAYS.filter((d) => (r.weekdays ?? []).includes(d));
    const chosen = days.length ? days : startDay ? [startDay] : [];
    if (startDay && !chosen.includes(startDay)) errors.push({ field: 'weekdays', code: 'startNotInPattern' });
    if (chosen.length) out.push(`BYDAY=${chosen.join(',')}`);
  } else if (frequency === 'monthly') {
    const mode = MONTHLY_MODES.includes(r.monthlyMode) ? r.monthlyMode : 'weekday';
    const p = parts(startDate);
    if (p && startDay) {
      if (mode === 'weekday') {
        const n = ordinalOf(startDate);
        if (n > 4) errors.push({ field: 'monthlyMode', code: 'fifthWeekday' });
        else out.push(`BYDAY=${n}${startDay}`);
      } else if (mode === 'lastWeekday') {
        if (!isLastOfMonth(startDate)) errors.push({ field: 'monthlyMode', code: 'startNotInPattern' });
        else out.push(`BYDAY=-1${startDay}`);
      } else {
        if (p.d > 28) errors.push({ field: 'monthlyMode', code: 'monthDayTooLate' });
        else out.push(`BYMONTHDAY=${p.d}`);
      }
    }
  }
  return errors.length ? { errors } : { rule: out.join(';') };
}

/** The create body for `POST /api/v1/workspaces/{id}/meeting-series`: the planner's fields plus the rule. */
export function seriesBody(form) {
  const base = plannerBody(form);
  const rule = buildRule(form.recurrence ?? {}, form.date);
  const errors = [...(base.errors ?? []), ...(rule.errors ?? [])];
  if (errors.length) return { errors };
  return { body: { ...base.body, rule: rule.rule } };
}

/** Reads RRULE text back into the planner's fields (for showing and changing a rule). */
export function parseRule(text) {
  const values = {};
  for (const part of String(text ?? '').replace(/^RRULE:/i, '').split(';')) {
    const [k, v] = part.split('=');
    if (k && v) values[k.toUpperCase()] = v.toUpperCase();
  }
  const out = {
    frequency: values.FREQ === 'MONTHLY' ? 'monthly' : 'weekly',
    interval: Number(values.INTERVAL ?? 1),
    weekdays: [],
    monthlyMode: 'weekday',
    end: values.COUNT ? 'count' : values.UNTIL ? 'until' : 'never',
    count: values.COUNT ? Number(values.COUNT) : null,
    until: values.UNTIL ? `${values.UNTIL.slice(0, 4)}-${values.UNTIL.slice(4, 6)}-${values.UNTIL.slice(6, 8)}` : null,
  };
  const byDay = (values.BYDAY ?? '').split(',').filter(Boolean);
  if (out.frequency === 'weekly') out.weekdays = byDay.filter((d) => WEEKDAYS.includes(d));
  else if (values.BYMONTHDAY) out.monthlyMode = 'monthDay';
  else if (byDay.some((d) => d.startsWith('-1'))) out.monthlyMode = 'lastWeekday';
  return out;
}

/**
 * The rule in words as an i18n key and its parameters (the caller translates weekday codes
 * with `mt.series.day.<CODE>`): e.g. `{ key: 'mt.series.rule.weeklyN', params: { n: 2, days: ['TU'] } }`.
 */
export function ruleSummary(text, startDate) {
  const r = parseRule(text);
  const day = weekdayOf(startDate);
  let key;
  const params = { n: r.interval, days: r.weekdays.length ? r.weekdays : day ? [day] : [] };
  if (r.frequency === 'weekly') key = r.interval === 1 ? 'mt.series.rule.weekly' : 'mt.series.rule.weeklyN';
  else {
    const mode = r.monthlyMode;
    key = `mt.series.rule.monthly.${mode}${r.interval === 1 ? '' : 'N'}`;
    params.ordinal = ordinalOf(startDate);
    params.day = parts(startDate)?.d ?? null;
    params.days = day ? [day] : [];
  }
  const end = r.end === 'count' ? { key: 'mt.series.end.count', params: { count: r.count } }
    : r.end === 'until' ? { key: 'mt.series.end.until', params: { until: r.until } } : null;
  return { key, params, end };
}

/** A move of one occurrence: `{ start, end }` for `POST …/occurrences/{rid}/move`, or errors. */
export function moveBody(form) {
  const errors = [];
  const date = String(form.date ?? '');
  const start = String(form.startTime ?? '');
  const end = String(form.endTime ?? '');
  if (!parts(date)) errors.push({ field: 'date', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(start)) errors.push({ field: 'startTime', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(end)) errors.push({ field: 'endTime', code: 'required' });
  else if (/^\d{2}:\d{2}$/.test(start) && end <= start) errors.push({ field: 'endTime', code: 'endBeforeStart' });
  return errors.length ? { errors } : { body: { start: `${date}T${start}`, end: `${date}T${end}` } };
}

/** What may be done with one occurrence: cancel, move, open its meeting (or go to it). */
export function occurrenceActions(occurrence, series, { manage = false, nowMs }) {
  const ahead = Date.parse(occurrence.startsAt) > nowMs;
  const open = series.status !== 'cancelled';
  return {
    cancel: manage && open && ahead,
    move: manage && open && ahead,
    open: manage && open && !occurrence.meetingId,
    meeting: Boolean(occurrence.meetingId),
  };
}

/** What may be done with the series itself. */
export function seriesActions(series, { manage = false }) {
  return {
    invite: manage && series.status === 'planned',
    cancel: manage && series.status !== 'cancelled',
  };
}

/** Whether a live event is about this series (then the page refetches its occurrences). */
export function isAboutSeries(event, seriesId) {
  return Boolean(event && String(event.name ?? '').startsWith('meetingSeries.') && event.data?.series?.id === seriesId);
}

/** Whether the signed-in user may answer for the whole series (a member invitee of an invited series). */
export function mayAnswer(detail, myId) {
  if (!detail || !myId || detail.series?.status !== 'invited') return false;
  return (detail.invitees ?? []).some((i) => i.key === `member:${myId}`);
}

/**
 * The PATCH body for a series from its edit form (only what changed), or errors:
 * `{ title, place, startTime, endTime, recurrence }` against the series as loaded. The first
 * date stays; a new rule must still contain it.
 */
export function seriesPatch(series, form) {
  const errors = [];
  const first = String(series.start ?? '').slice(0, 10);
  const title = String(form.title ?? '').trim();
  if (!title) errors.push({ field: 'title', code: 'required' });
  const start = String(form.startTime ?? '');
  const end = String(form.endTime ?? '');
  if (!/^\d{2}:\d{2}$/.test(start)) errors.push({ field: 'startTime', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(end)) errors.push({ field: 'endTime', code: 'required' });
  else if (/^\d{2}:\d{2}$/.test(start) && end <= start) errors.push({ field: 'endTime', code: 'endBeforeStart' });
  const rule = buildRule(form.recurrence ?? {}, first);
  if (rule.errors) errors.push(...rule.errors);
  if (errors.length) return { errors };
  const body = {};
  if (title !== series.title) body.title = title;
  const place = String(form.place ?? '').trim();
  if (place !== (series.place ?? '')) body.place = place || null;
  if (`${first}T${start}` !== series.start || `${first}T${end}` !== String(series.end).slice(0, 16) || String(series.end).slice(0, 10) !== first) {
    body.start = `${first}T${start}`;
    body.end = `${first}T${end}`;
  }
  if (!sameRule(rule.rule, series.rule)) body.rule = rule.rule;
  return { body };
}

/** Whether two RRULE texts say the same (part order and UNTIL's form aside). */
export function sameRule(a, b) {
  const norm = (text) => {
    const r = parseRule(text);
    return JSON.stringify({ ...r, weekdays: [...r.weekdays].sort() });
  };
  return norm(a) === norm(b);
}
