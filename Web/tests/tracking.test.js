import test from 'node:test';
import assert from 'node:assert/strict';
import * as tr from '../state/tracking.js';

const entry = {
  decisions: [
    { id: 'a', decidedOn: '2024-03-01', body: 'Sozialausschuss', outcome: 'deferred', note: '' },
    { id: 'b', decidedOn: '2024-05-10', body: 'Kreistag', outcome: 'adopted', note: '' },
  ],
  reports: [
    { id: 'r2', reportedOn: '2025-06-01', status: 'inProgress', values: [{ indicator: 0, value: 40 }, { indicator: 1, value: 3 }], note: '' },
    { id: 'r1', reportedOn: '2024-06-01', status: 'notStarted', values: [{ indicator: 0, value: 25 }], note: '' },
  ],
};

test('decisions and reports come newest first', () => {
  assert.deepEqual(tr.sortedDecisions(entry).map((d) => d.id), ['b', 'a']);
  assert.deepEqual(tr.sortedReports(entry).map((r) => r.id), ['r2', 'r1']);
  assert.deepEqual(tr.sortedDecisions({}), []);
});

test('an indicator series is oldest first and only its own values', () => {
  assert.deepEqual(tr.indicatorSeries(entry, 0), [{ date: '2024-06-01', value: 25 }, { date: '2025-06-01', value: 40 }]);
  assert.deepEqual(tr.indicatorSeries(entry, 1), [{ date: '2025-06-01', value: 3 }]);
  assert.deepEqual(tr.indicatorSeries(entry, 2), []);
});

test('overdue compares dates as days', () => {
  assert.equal(tr.isOverdue('2026-01-01', '2026-01-02'), true);
  assert.equal(tr.isOverdue('2026-01-02', '2026-01-02'), false);
  assert.equal(tr.isOverdue(null, '2026-01-02'), false);
  assert.equal(tr.todayISO(new Date(2026, 0, 5)), '2026-01-05');
});

test('numbers as people type them', () => {
  assert.equal(tr.parseNumber(''), null);
  assert.equal(tr.parseNumber(' 12,5 '), 12.5);
  assert.equal(tr.parseNumber('1.234,5'), 1234.5);
  assert.equal(tr.parseNumber('1234.5'), 1234.5);
  assert.equal(tr.parseNumber('-3'), -3);
  assert.ok(Number.isNaN(tr.parseNumber('zwölf')));
  assert.ok(Number.isNaN(tr.parseNumber('1e999')));
});

test('decision payload checks what the server checks', () => {
  const ok = tr.decisionPayload({ decidedOn: '2026-01-01', body: '  Kreis   tag ', outcome: 'adopted', note: ' x ' }, '2026-02-01');
  assert.deepEqual(ok, { body: { decidedOn: '2026-01-01', body: 'Kreis tag', outcome: 'adopted', note: 'x' }, issues: [] });
  const bad = tr.decisionPayload({ decidedOn: '2026-03-01', body: 'K', outcome: 'maybe', note: 'x'.repeat(4001) }, '2026-02-01');
  assert.deepEqual(bad.issues.map((i) => `${i.field}:${i.code}`), ['decidedOn:inFuture', 'body:length', 'outcome:required', 'note:tooLong']);
  assert.equal(tr.decisionPayload({ decidedOn: '1.1.2026', body: 'Kreistag', outcome: 'adopted' }).issues[0].code, 'invalidDate');
});

test('report payload leaves out empty values and flags non-numbers', () => {
  const ok = tr.reportPayload({ reportedOn: '2026-01-01', status: 'inProgress', values: ['', '12,5'], note: '' }, '2026-02-01');
  assert.deepEqual(ok.body, { reportedOn: '2026-01-01', status: 'inProgress', values: [{ indicator: 1, value: 12.5 }], note: '' });
  assert.deepEqual(ok.issues, []);
  const bad = tr.reportPayload({ reportedOn: '', status: 'done', values: ['abc'] }, '2026-02-01');
  assert.deepEqual(bad.issues.map((i) => `${i.field}:${i.code}`), ['reportedOn:invalidDate', 'status:required', 'values[0].value:invalidNumber']);
});
