import test from 'node:test';
import assert from 'node:assert/strict';
import * as p from '../state/panels.js';

test('questions from the editor: scale labels, choice keys, free text', () => {
  const scale = p.questionBody({ promptDe: ' Wie gut? ', kind: 'scale', required: true, choices: 'gar nicht\nwenig\nteils\nziemlich\nsehr' });
  assert.deepEqual(scale.prompt, { de: 'Wie gut?' });
  assert.equal(scale.labels.length, 5);
  assert.equal(scale.required, true);
  const partial = p.questionBody({ promptDe: 'x', kind: 'scale', choices: 'schlecht\n\ngut' });
  assert.deepEqual(partial.labels.map((l) => l.de), ['schlecht', 'gut', '3', '4', '5']);
  const multi = p.questionBody({ promptDe: 'Wo?', promptEn: 'Where?', kind: 'multipleChoice', choices: 'Jobcenter\nWohngeld-Stelle\nJobcenter' });
  assert.deepEqual(multi.options.map((o) => o.key), ['jobcenter', 'wohngeld-stelle', 'jobcenter-2']);
  assert.equal(multi.max, 3);
  assert.deepEqual(multi.prompt, { de: 'Wo?', en: 'Where?' });
  assert.equal(p.questionBody({ promptDe: 'Frei', kind: 'bogus' }).kind, 'freeText');
});

test('option keys are ASCII, umlauts spelled out', () => {
  assert.equal(p.optionKey('Ausländerbehörde'), 'auslaenderbehoerde');
  assert.equal(p.optionKey('<script>'), 'script');
  assert.equal(p.optionKey('!!!'), 'option');
});

test('settings body: sections in profile order, defaults, English only when given', () => {
  const body = p.settingsBody({ titleDe: 'T', audienceDe: 'A', summaryDe: 'S', opensOn: '2026-05-01', closesOn: '2026-05-31',
    sections: ['measures', 'goals', 'nonsense'], moderation: 'post', perHour: '20' }, 'rec-1');
  assert.deepEqual(body.sections, ['goals', 'measures']);
  assert.equal(body.moderation, 'post');
  assert.equal(body.access, 'publicLink');
  assert.deepEqual(body.limits, { perHour: 20, perDay: 40 });
  assert.equal(body.recommendationId, 'rec-1');
  assert.equal(body.easyReadSummary, null);
  assert.deepEqual(body.title, { de: 'T' });
});

test('fields of a panel round-trip through the settings body', () => {
  const panel = { title: { de: 'T', en: 'E' }, audience: { de: 'A' }, summary: { de: 'S' }, easyReadSummary: { de: 'L' }, offersEnglish: true,
    opensOn: '2026-05-01', closesOn: '2026-05-31', sections: ['goals'], access: 'inviteOnly', moderation: 'pre', retentionDays: 90,
    publicResponses: false, consentVersion: '3', limits: { perHour: 5, perDay: 9 },
    questions: [{ id: 'q1', prompt: { de: 'Wo?' }, kind: 'singleChoice', options: [{ key: 'a', label: { de: 'A' } }, { key: 'b', label: { de: 'B' } }] }] };
  const body = p.settingsBody(p.fieldsOf(panel));
  assert.deepEqual(body.title, panel.title);
  assert.equal(body.questions[0].id, 'q1');
  assert.deepEqual(body.questions[0].options.map((o) => o.label.de), ['A', 'B']);
  assert.equal(body.access, 'inviteOnly');
  assert.equal(body.retentionDays, 90);
  assert.deepEqual(body.limits, { perHour: 5, perDay: 9 });
});

test('answers of the server shape as text', () => {
  const q = { labels: [{ de: 'eins' }, { de: 'zwei' }], options: [{ key: 'a', label: { de: 'Alpha', en: 'Alpha EN' } }] };
  assert.equal(p.answerText({ scale: { _0: 2 } }, q, 'de'), '2 – zwei');
  assert.equal(p.answerText({ choices: { _0: ['a', 'zz'] } }, q, 'en'), 'Alpha EN, zz');
  assert.equal(p.answerText({ text: { _0: 'Hallo' } }, q, 'de'), 'Hallo');
  // The server's form since the explicit encoding: one key with the plain value.
  assert.equal(p.answerText({ scale: 2 }, q, 'de'), '2 – zwei');
  assert.equal(p.answerText({ choices: ['a', 'zz'] }, q, 'en'), 'Alpha EN, zz');
  assert.equal(p.answerText({ choice: 'a' }, q, 'en'), 'Alpha EN');
  assert.equal(p.answerText({ text: 'Hallo' }, q, 'de'), 'Hallo');
  assert.equal(p.answerText(null, q, 'de'), '');
});

test('bars scale to the largest bucket and give shares', () => {
  const b = p.bars([{ value: '1', label: { de: 'a' }, count: 1 }, { value: '2', label: { de: 'b' }, count: 3 }], 'de', 100);
  assert.deepEqual(b.map((x) => x.width), [33, 100]);
  assert.deepEqual(b.map((x) => x.share), [25, 75]);
  assert.deepEqual(p.bars([{ value: '1', count: 0 }], 'de').map((x) => [x.width, x.share]), [[0, 0]]);
});

test('lifecycle actions and debounce', () => {
  assert.deepEqual(p.actions('draft'), ['open']);
  assert.deepEqual(p.actions('archived'), []);
  const calls = [];
  const pending = [];
  const timers = { set: (fn) => { pending.push(fn); return pending.length; }, clear: (h) => { pending[h - 1] = null; } };
  const d = p.debounce((x) => calls.push(x), 100, timers);
  d(1); d(2); d(3);
  pending.filter(Boolean).forEach((fn) => fn());
  assert.deepEqual(calls, [3]);
});
