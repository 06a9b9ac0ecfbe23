import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  weekdayOf, ordinalOf, isLastOfMonth, buildRule, seriesBody, parseRule, ruleSummary, moveBody, occurrenceActions, seriesActions, isAboutSeries, mayAnswer, seriesPatch, sameRule,
} from '../state/meeting-series.js';

test('weekday, ordinal and last-of-month of a date', () => {
  assert.equal(weekdayOf('2026-04-14'), 'TU');
  assert.equal(weekdayOf('2026-03-29'), 'SU');
  assert.equal(weekdayOf(''), null);
  assert.equal(ordinalOf('2026-04-14'), 2);
  assert.equal(ordinalOf('2026-04-28'), 4);
  assert.equal(isLastOfMonth('2026-04-28'), true);
  assert.equal(isLastOfMonth('2026-04-21'), false);
  assert.equal(isLastOfMonth('2026-02-24'), true, 'February 2026 has 28 days');
});

test('weekly rules: interval, weekdays (the start day must be one), end by count or date', () => {
  assert.deepEqual(buildRule({ frequency: 'weekly', interval: 1, weekdays: [], end: 'never' }, '2026-04-14'), { rule: 'FREQ=WEEKLY;BYDAY=TU' });
  assert.deepEqual(buildRule({ frequency: 'weekly', interval: '2', weekdays: ['TH', 'TU'], end: 'count', count: '10' }, '2026-04-14'),
    { rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=10;BYDAY=TU,TH' });
  assert.deepEqual(buildRule({ frequency: 'weekly', interval: 1, weekdays: ['TU'], end: 'until', until: '2026-12-31' }, '2026-04-14'),
    { rule: 'FREQ=WEEKLY;UNTIL=20261231;BYDAY=TU' });
  assert.deepEqual(buildRule({ frequency: 'weekly', interval: 1, weekdays: ['WE'], end: 'never' }, '2026-04-14').errors,
    [{ field: 'weekdays', code: 'startNotInPattern' }]);
});

test('bad numbers and dates are refused before sending', () => {
  const codes = (r) => r.errors.map((e) => `${e.field}:${e.code}`);
  assert.deepEqual(codes(buildRule({ frequency: 'weekly', interval: 0, end: 'count', count: 501 }, '2026-04-14')), ['interval:range', 'count:range']);
  assert.deepEqual(codes(buildRule({ frequency: 'weekly', interval: 100, end: 'count', count: 'x' }, '2026-04-14')), ['interval:range', 'count:range']);
  assert.deepEqual(codes(buildRule({ frequency: 'weekly', interval: 1, end: 'until', until: '2026-04-01' }, '2026-04-14')), ['until:beforeStart']);
  assert.deepEqual(codes(buildRule({ frequency: 'weekly', interval: 1, end: 'until', until: '' }, '2026-04-14')), ['until:required']);
  assert.deepEqual(codes(buildRule({ frequency: 'daily', interval: 1 }, '2026-04-14')), ['frequency:required']);
});

test('monthly rules: ordinal weekday of the start, the last weekday, or the month day', () => {
  assert.deepEqual(buildRule({ frequency: 'monthly', interval: 1, monthlyMode: 'weekday', end: 'count', count: 12 }, '2026-04-14'),
    { rule: 'FREQ=MONTHLY;COUNT=12;BYDAY=2TU' });
  assert.deepEqual(buildRule({ frequency: 'monthly', interval: 3, monthlyMode: 'lastWeekday', end: 'never' }, '2026-04-24'),
    { rule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR' });
  assert.deepEqual(buildRule({ frequency: 'monthly', interval: 1, monthlyMode: 'lastWeekday' }, '2026-04-17').errors,
    [{ field: 'monthlyMode', code: 'startNotInPattern' }]);
  assert.deepEqual(buildRule({ frequency: 'monthly', interval: 1, monthlyMode: 'monthDay' }, '2026-04-15'), { rule: 'FREQ=MONTHLY;BYMONTHDAY=15' });
  assert.deepEqual(buildRule({ frequency: 'monthly', interval: 1, monthlyMode: 'monthDay' }, '2026-03-31').errors,
    [{ field: 'monthlyMode', code: 'monthDayTooLate' }]);
  assert.deepEqual(buildRule({ frequency: 'monthly', interval: 1, monthlyMode: 'weekday' }, '2026-03-31').errors,
    [{ field: 'monthlyMode', code: 'fifthWeekday' }]);
});

test('the series body is the planner body plus the rule; errors of both are reported', () => {
  const form = {
    templateId: 't1', title: ' Jour fixe ', date: '2026-04-14', startTime: '17:00', endTime: '19:00', place: 'Kreishaus',
    members: ['u1'], guests: 'erika@traeger.example', recurrence: { frequency: 'weekly', interval: 1, weekdays: ['TU'], end: 'count', count: 6 },
  };
  const { body } = seriesBody(form);
  assert.equal(body.rule, 'FREQ=WEEKLY;COUNT=6;BYDAY=TU');
  assert.equal(body.title, 'Jour fixe');
  assert.equal(body.start, '2026-04-14T17:00');
  assert.deepEqual(body.invitees, [{ key: 'member:u1' }, { key: 'guest:erika@traeger.example' }]);
  const bad = seriesBody({ ...form, title: '', recurrence: { ...form.recurrence, count: 0 } });
  assert.deepEqual(bad.errors.map((e) => e.field), ['title', 'count']);
});

test('parsing a rule back, and the rule in words as a key with parameters', () => {
  assert.deepEqual(parseRule('FREQ=WEEKLY;INTERVAL=2;COUNT=6;BYDAY=TU,TH'),
    { frequency: 'weekly', interval: 2, weekdays: ['TU', 'TH'], monthlyMode: 'weekday', end: 'count', count: 6, until: null });
  assert.equal(parseRule('FREQ=MONTHLY;BYDAY=-1FR').monthlyMode, 'lastWeekday');
  assert.equal(parseRule('FREQ=MONTHLY;UNTIL=20261231T225900Z;BYMONTHDAY=15').until, '2026-12-31');
  const s = ruleSummary('FREQ=WEEKLY;INTERVAL=2;COUNT=6;BYDAY=TU', '2026-04-14');
  assert.equal(s.key, 'mt.series.rule.weeklyN');
  assert.deepEqual(s.params.days, ['TU']);
  assert.deepEqual(s.end, { key: 'mt.series.end.count', params: { count: 6 } });
  const m = ruleSummary('FREQ=MONTHLY;BYDAY=2TU', '2026-04-14');
  assert.equal(m.key, 'mt.series.rule.monthly.weekday');
  assert.equal(m.params.ordinal, 2);
  assert.equal(m.end, null);
});

test('moving an occurrence needs a date and an end after the start', () => {
  assert.deepEqual(moveBody({ date: '2026-04-15', startTime: '18:00', endTime: '20:00' }), { body: { start: '2026-04-15T18:00', end: '2026-04-15T20:00' } });
  assert.deepEqual(moveBody({ date: '2026-04-15', startTime: '18:00', endTime: '17:00' }).errors, [{ field: 'endTime', code: 'endBeforeStart' }]);
  assert.deepEqual(moveBody({ date: '', startTime: '', endTime: '' }).errors.map((e) => e.field), ['date', 'startTime', 'endTime']);
});

test('who may do what with an occurrence and the series', () => {
  const now = Date.parse('2026-04-10T12:00:00Z');
  const series = { status: 'invited' };
  const ahead = { startsAt: '2026-04-14T15:00:00Z', meetingId: null };
  const past = { startsAt: '2026-04-07T15:00:00Z', meetingId: 'm1' };
  assert.deepEqual(occurrenceActions(ahead, series, { manage: true, nowMs: now }), { cancel: true, move: true, open: true, meeting: false });
  assert.deepEqual(occurrenceActions(ahead, series, { manage: false, nowMs: now }), { cancel: false, move: false, open: false, meeting: false });
  assert.deepEqual(occurrenceActions(past, series, { manage: true, nowMs: now }), { cancel: false, move: false, open: false, meeting: true });
  assert.deepEqual(occurrenceActions(ahead, { status: 'cancelled' }, { manage: true, nowMs: now }), { cancel: false, move: false, open: false, meeting: false });
  assert.deepEqual(seriesActions({ status: 'planned' }, { manage: true }), { invite: true, cancel: true });
  assert.deepEqual(seriesActions({ status: 'cancelled' }, { manage: true }), { invite: false, cancel: false });
  assert.deepEqual(seriesActions({ status: 'invited' }, { manage: false }), { invite: false, cancel: false });
});

test('live events: only this series counts', () => {
  assert.equal(isAboutSeries({ name: 'meetingSeries.updated', data: { series: { id: 's1' } } }, 's1'), true);
  assert.equal(isAboutSeries({ name: 'meetingSeries.updated', data: { series: { id: 's2' } } }, 's1'), false);
  assert.equal(isAboutSeries({ name: 'meeting.updated', data: { meeting: { id: 's1' } } }, 's1'), false);
});

test('a member invitee answers an invited series; nobody else, and not before the invitation', () => {
  const detail = { series: { status: 'invited' }, invitees: [{ key: 'member:u1' }, { key: 'guest' }] };
  assert.equal(mayAnswer(detail, 'u1'), true);
  assert.equal(mayAnswer(detail, 'u2'), false);
  assert.equal(mayAnswer(detail, null), false);
  assert.equal(mayAnswer({ ...detail, series: { status: 'planned' } }, 'u1'), false);
});

test('the edit form sends only what changed; the rule must still contain the first date', () => {
  const series = { title: 'Jour fixe', place: 'Kreishaus', start: '2026-04-14T17:00', end: '2026-04-14T19:00', rule: 'FREQ=WEEKLY;COUNT=6;BYDAY=TU' };
  const same = { title: 'Jour fixe', place: 'Kreishaus', startTime: '17:00', endTime: '19:00',
    recurrence: { frequency: 'weekly', interval: 1, weekdays: ['TU'], end: 'count', count: 6 } };
  assert.deepEqual(seriesPatch(series, same), { body: {} });
  assert.deepEqual(seriesPatch(series, { ...same, recurrence: { ...same.recurrence, interval: 2 } }), { body: { rule: 'FREQ=WEEKLY;INTERVAL=2;COUNT=6;BYDAY=TU' } });
  assert.deepEqual(seriesPatch(series, { ...same, startTime: '18:00', endTime: '20:00', place: '' }),
    { body: { place: null, start: '2026-04-14T18:00', end: '2026-04-14T20:00' } });
  assert.deepEqual(seriesPatch(series, { ...same, title: ' ', recurrence: { ...same.recurrence, weekdays: ['WE'] } }).errors.map((e) => e.field),
    ['title', 'weekdays']);
  assert.equal(sameRule('FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6', 'FREQ=WEEKLY;COUNT=6;BYDAY=TH,TU'), true);
  assert.equal(sameRule('FREQ=WEEKLY;BYDAY=TU', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU'), false);
});
