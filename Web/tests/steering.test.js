import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as st from '../state/steering.js';

const round = (year, opensOn, closesOn, version = 1) => ({ year, opensOn, closesOn, version });

test('round state by date (inclusive window)', () => {
  const r = round(2026, '2026-04-01', '2026-05-15');
  assert.equal(st.roundState(null, '2026-04-10'), 'none');
  assert.equal(st.roundState(r, '2026-03-31'), 'upcoming');
  assert.equal(st.roundState(r, '2026-04-01'), 'open');
  assert.equal(st.roundState(r, '2026-05-15'), 'open');
  assert.equal(st.roundState(r, '2026-05-16'), 'closed');
});

test('Berlin date, years to offer, default year', () => {
  assert.equal(st.berlinToday(new Date('2026-06-30T22:30:00Z')), '2026-07-01');
  assert.equal(st.berlinToday(new Date('2026-01-15T10:00:00Z')), '2026-01-15');
  assert.deepEqual(st.yearsToOffer([round(2023, '2023-04-01', '2023-05-01')], 2026), [2027, 2026, 2023]);
  assert.equal(st.defaultYear([round(2025, '2025-01-01', '2025-12-31'), round(2023, '2023-01-01', '2023-02-01')], '2025-06-01'), 2025);
  assert.equal(st.defaultYear([round(2023, '2023-01-01', '2023-02-01')], '2026-06-01'), 2026);
  assert.equal(st.roundOf([round(2023, 'a', 'b')], '2023').year, 2023);
  assert.equal(st.roundOf([], 2023), null);
});

test('rating and round forms are checked before sending', () => {
  assert.deepEqual(st.validateRating({ level: '', justification: '' }).issues.map((i) => `${i.field}.${i.code}`), ['level.required', 'justification.required']);
  assert.deepEqual(st.validateRating({ level: 'relevant', justification: ' x ' }).issues.map((i) => i.code), ['length']);
  assert.deepEqual(st.validateRating({ level: 'relevant', justification: '  Gut begründet. ' }), { issues: [], body: { level: 'relevant', justification: 'Gut begründet.' } });
  assert.deepEqual(st.validateRound({ opensOn: '2026-05-01', closesOn: '2026-04-01' }).issues.map((i) => i.code), ['beforeOpening']);
  assert.deepEqual(st.validateRound({ opensOn: '', closesOn: 'x' }).issues.map((i) => i.field), ['opensOn', 'closesOn']);
  assert.deepEqual(st.validateRound({ opensOn: '2026-04-01', closesOn: '2026-04-01' }).issues, []);
});

test('ratings, consensus and rounds update the summary', () => {
  const summary = [{ reference: 'HE-2026-001', title: 'T', workspaceName: 'W', counts: { highlyRelevant: 0, relevant: 0, lessRelevant: 0 }, ratings: [], consensus: null }];
  let s = st.applyRating(summary, { reference: 'HE-2026-001', userId: 'u1', displayName: 'A', level: 'relevant', justification: 'j', at: '1' });
  assert.deepEqual(st.countsList(s[0].counts).map((c) => c.count), [0, 1, 0]);
  assert.equal(st.totalRatings(s[0].counts), 1);
  s = st.applyRating(s, { reference: 'HE-2026-001', userId: 'u1', displayName: '', level: 'highlyRelevant', justification: 'k', at: '2' });
  assert.equal(s[0].ratings.length, 1);
  assert.equal(s[0].ratings[0].displayName, 'A', 'a missing name keeps the known one');
  assert.deepEqual(s[0].counts, { highlyRelevant: 1, relevant: 0, lessRelevant: 0 });
  assert.equal(st.applyRating(s, { ...s[0].ratings[0] }), s, 'the same rating twice');
  assert.equal(st.applyRating(s, { reference: 'HE-2099-001', userId: 'u1', level: 'relevant' }), s);
  assert.equal(st.myRating(s[0], 'u1').level, 'highlyRelevant');
  assert.equal(st.myRating(s[0], 'u2'), null);
  s = st.applyConsensus(s, { reference: 'HE-2026-001', consensus: { level: 'lessRelevant', justification: 'x', at: '3' } });
  assert.equal(s[0].consensus.level, 'lessRelevant');
  let rounds = st.applyRound([], round(2026, '2026-04-01', '2026-05-01', 1));
  rounds = st.applyRound(rounds, round(2023, '2023-04-01', '2023-05-01', 1));
  assert.deepEqual(rounds.map((r) => r.year), [2026, 2023]);
  assert.equal(st.applyRound(rounds, round(2026, 'x', 'y', 1)), rounds, 'not newer');
  assert.equal(st.applyRound(rounds, round(2026, '2026-04-02', '2026-05-01', 2))[0].opensOn, '2026-04-02');
});
