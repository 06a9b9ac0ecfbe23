// The steering group's rating: rounds (a window per year), individual ratings, the
// consensus. Pure functions only.

import { RATING_LEVELS } from './catalogue.js';

export { RATING_LEVELS };
export const JUSTIFICATION_MIN = 3;
export const JUSTIFICATION_MAX = 2000;

/** Today in Berlin as YYYY-MM-DD (the district's calendar, whatever the browser's zone). */
export function berlinToday(now = new Date()) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type) => parts.find((p) => p.type === type)?.value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** 'none' (no round), 'upcoming', 'open' or 'closed' on `today` (YYYY-MM-DD). */
export function roundState(round, today) {
  if (!round) return 'none';
  if (today < round.opensOn) return 'upcoming';
  if (today > round.closesOn) return 'closed';
  return 'open';
}

/** The round of a year from the list of rounds, or null. */
export function roundOf(rounds, year) {
  return (Array.isArray(rounds) ? rounds : []).find((r) => Number(r.year) === Number(year)) ?? null;
}

/** The years to choose from: every round's year, this year and next, newest first. */
export function yearsToOffer(rounds, currentYear) {
  const years = new Set([Number(currentYear), Number(currentYear) + 1]);
  for (const r of Array.isArray(rounds) ? rounds : []) if (r && Number.isInteger(Number(r.year))) years.add(Number(r.year));
  return [...years].sort((a, b) => b - a);
}

/** The year to show first: the newest year with an open round, else this year. */
export function defaultYear(rounds, today) {
  const open = (Array.isArray(rounds) ? rounds : []).filter((r) => roundState(r, today) === 'open').sort((a, b) => b.year - a.year);
  return open.length ? open[0].year : Number(String(today).slice(0, 4));
}

/** Client-side check of a rating or consensus form; issues in the server's shape. */
export function validateRating({ level, justification }) {
  const issues = [];
  if (!RATING_LEVELS.includes(level)) issues.push({ field: 'level', code: 'required', message: '' });
  const text = String(justification ?? '').trim();
  if (!text) issues.push({ field: 'justification', code: 'required', message: '' });
  else if (text.length < JUSTIFICATION_MIN || text.length > JUSTIFICATION_MAX) issues.push({ field: 'justification', code: 'length', message: '' });
  return { issues, body: { level, justification: text } };
}

/** Client-side check of the round form (dates as YYYY-MM-DD). */
export function validateRound({ opensOn, closesOn }) {
  const issues = [];
  const date = /^\d{4}-\d{2}-\d{2}$/;
  if (!date.test(String(opensOn ?? ''))) issues.push({ field: 'opensOn', code: 'invalidDate', message: '' });
  if (!date.test(String(closesOn ?? ''))) issues.push({ field: 'closesOn', code: 'invalidDate', message: '' });
  if (!issues.length && closesOn < opensOn) issues.push({ field: 'closesOn', code: 'beforeOpening', message: '' });
  return { issues, body: { opensOn, closesOn } };
}

/** The counts per level in the scale's order: [{level, count}]. */
export function countsList(counts) {
  return RATING_LEVELS.map((level) => ({ level, count: Number(counts?.[level] ?? 0) }));
}

export function totalRatings(counts) {
  return countsList(counts).reduce((sum, c) => sum + c.count, 0);
}

/** The viewer's own rating in a summary item, or null. */
export function myRating(item, userId) {
  return (item?.ratings ?? []).find((r) => r.userId === userId) ?? null;
}

/** Puts one rating (a rating.submitted event or our own PUT's answer) into the summary. */
export function applyRating(summary, rating) {
  if (!Array.isArray(summary) || !rating || !rating.reference) return summary;
  const index = summary.findIndex((s) => s.reference === rating.reference);
  if (index === -1) return summary;
  const item = summary[index];
  const before = item.ratings.find((r) => r.userId === rating.userId);
  if (before && before.level === rating.level && before.justification === rating.justification && before.at === rating.at) return summary;
  const ratings = before ? item.ratings.map((r) => (r.userId === rating.userId ? { ...r, ...rating, displayName: rating.displayName || r.displayName } : r)) : [...item.ratings, rating];
  const counts = Object.fromEntries(RATING_LEVELS.map((l) => [l, ratings.filter((r) => r.level === l).length]));
  const copy = summary.slice();
  copy[index] = { ...item, ratings, counts };
  return copy;
}

/** Puts a consensus (a catalogue entry view of catalogue.consensusSet) into the summary. */
export function applyConsensus(summary, entry) {
  if (!Array.isArray(summary) || !entry || !entry.reference) return summary;
  const index = summary.findIndex((s) => s.reference === entry.reference);
  if (index === -1) return summary;
  const copy = summary.slice();
  copy[index] = { ...summary[index], consensus: entry.consensus ?? null };
  return copy;
}

/** Replaces or adds a round (rating.roundSet). */
export function applyRound(rounds, round) {
  const list = Array.isArray(rounds) ? rounds : [];
  if (!round || !round.year) return list;
  const index = list.findIndex((r) => r.year === round.year);
  if (index !== -1 && list[index].version >= round.version) return list;
  const next = index === -1 ? [...list, round] : list.map((r, i) => (i === index ? round : r));
  return next.sort((a, b) => b.year - a.year);
}
