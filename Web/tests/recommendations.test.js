import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as rec from '../state/recommendations.js';

function profile(extra = {}) {
  return {
    title: 'Ämterlotsen', policyFieldIds: [], situation: '', dataBasis: '', goals: '', measures: '', targetGroups: '',
    responsibleBody: '', resources: { personnelFte: null, durationMonths: null, moneyEuroPerYear: null, note: '' },
    budgetYears: [], impactKinds: [], indicators: [], timeline: '', ...extra,
  };
}

function view(revision, extra = {}, more = {}) {
  return {
    id: 'r1', workspaceId: 'w1', status: 'draft', revision, profile: profile(extra), createdBy: 'u1',
    createdAt: '2026-03-01T10:00:00Z', updatedAt: `2026-03-01T10:${String(revision).padStart(2, '0')}:00Z`, reference: null, ...more,
  };
}

test('section values are normalized as the server stores them', () => {
  assert.equal(rec.normalizeValue('title', '  Ämter   lotsen \n'), 'Ämter lotsen');
  assert.equal(rec.normalizeValue('responsibleBody', '  Jugendamt  '), 'Jugendamt');
  assert.equal(rec.normalizeValue('goals', '  keep\n'), '  keep\n', 'texts keep their whitespace');
  assert.deepEqual(rec.normalizeValue('impactKinds', ['ideational', 'financial', 'financial', 'nonsense']), ['financial', 'ideational']);
  assert.deepEqual(rec.normalizeValue('budgetYears', [2027, 2026, 2026]), [2026, 2027]);
  assert.deepEqual(rec.normalizeValue('policyFields', ['b', 'a', 'b', '']), ['b', 'a']);
  assert.deepEqual(rec.normalizeValue('resources', { personnelFte: '1.5', durationMonths: '', moneyEuroPerYear: 100 }), { personnelFte: 1.5, durationMonths: null, moneyEuroPerYear: 100, note: '' });
  assert.deepEqual(rec.normalizeValue('indicators', [{ name: ' Quote ', baseline: '3', direction: 'x' }]), [{ name: 'Quote', unit: '', baseline: 3, target: null, direction: 'increase', source: '' }]);
});

test('policy fields compare as a set; other lists in order', () => {
  assert.equal(rec.sameValue('policyFields', ['a', 'b'], ['b', 'a']), true);
  assert.equal(rec.sameValue('indicators', [{ name: 'a' }, { name: 'b' }], [{ name: 'b' }, { name: 'a' }]), false);
  assert.equal(rec.sameValue('title', 'A  b', 'A b'), true);
  assert.deepEqual(rec.changedSections(profile(), profile({ goals: 'x', title: 'Ämterlotsen ' })), ['goals']);
});

test('sectionOfField maps server field names to sections', () => {
  assert.equal(rec.sectionOfField('policyFieldIds[2]'), 'policyFields');
  assert.equal(rec.sectionOfField('resources.personnelFTE'), 'resources');
  assert.equal(rec.sectionOfField('indicators[0].name'), 'indicators');
  assert.equal(rec.sectionOfField('goals'), 'goals');
  assert.equal(rec.sectionOfField('baseRevision'), null);
  assert.equal(rec.bodyKey('policyFields'), 'policyFieldIds');
});

test('an edit is kept; returning to the original text drops it', () => {
  let e = rec.initialEditor(view(1, { goals: 'alt' }));
  e = rec.edit(e, 'goals', 'neu');
  assert.deepEqual(rec.dirtySections(e), ['goals']);
  assert.equal(rec.displayValue(e, 'goals'), 'neu');
  e = rec.edit(e, 'goals', 'alt');
  assert.deepEqual(rec.dirtySections(e), []);
  assert.equal(rec.edit(e, 'nonsense', 'x'), e);
});

test('a save sends only changed sections, with If-Match the revision the edits are based on', () => {
  let e = rec.initialEditor(view(3, { policyFieldIds: ['p1', 'p2'] }));
  e = rec.edit(e, 'goals', 'Ziele');
  e = rec.edit(e, 'policyFields', ['p3', 'p2', 'p1']);
  e = rec.edit(e, 'title', '  Ämterlotsen  ');
  assert.deepEqual(rec.dirtySections(e), ['policyFields', 'goals'], 'the title normalizes to the same text');
  const req = rec.saveRequest(e);
  assert.equal(req.ifMatch, 3);
  assert.deepEqual(req.sections, ['policyFields', 'goals']);
  assert.deepEqual(req.body, { policyFieldIds: ['p1', 'p2', 'p3'], goals: 'Ziele' }, 'held order first, new ones after');
  assert.equal(rec.saveRequest(rec.initialEditor(view(1))), null);
});

test('after a save the sent sections are settled, later typing stays', () => {
  let e = rec.initialEditor(view(1));
  e = rec.edit(e, 'goals', 'A');
  e = rec.edit(e, 'measures', 'M');
  const req = rec.saveRequest(e);
  e = rec.edit(e, 'measures', 'M und mehr'); // typed while the request ran
  e = rec.afterSave(e, view(2, { goals: 'A', measures: 'M' }), req.sent);
  assert.deepEqual(rec.dirtySections(e), ['measures']);
  assert.equal(rec.isPending(e, 'measures'), false, 'the newer text is based on the saved one');
  assert.equal(e.server.revision, 2);
  assert.equal(rec.saveRequest(e).ifMatch, 2);
});

test('a live change to another section is taken; the edit stays saveable', () => {
  let e = rec.initialEditor(view(1));
  e = rec.edit(e, 'goals', 'meine Ziele');
  e = rec.absorb(e, view(2, { measures: 'deren Maßnahmen' }));
  assert.equal(rec.displayValue(e, 'measures'), 'deren Maßnahmen');
  assert.equal(rec.displayValue(e, 'goals'), 'meine Ziele');
  assert.deepEqual(rec.pendingSections(e), []);
  assert.equal(rec.saveRequest(e).ifMatch, 2);
});

test('a live change to the same section never overwrites the edit: it becomes pending', () => {
  let e = rec.initialEditor(view(1, { goals: 'Basis' }));
  e = rec.edit(e, 'goals', 'Basis + meins');
  e = rec.edit(e, 'timeline', '2027');
  e = rec.absorb(e, view(2, { goals: 'Basis + deren' }));
  assert.equal(rec.displayValue(e, 'goals'), 'Basis + meins');
  assert.deepEqual(rec.pendingSections(e), ['goals']);
  assert.deepEqual(rec.saveableSections(e), ['timeline']);
  const req = rec.saveRequest(e);
  assert.deepEqual(Object.keys(req.body), ['timeline'], 'the pending section is not sent');
  const m = rec.mergeOf(e, 'goals');
  assert.equal(m.theirs, 'Basis + deren');
  assert.equal(m.yours, 'Basis + meins');
  assert.equal(m.suggestion, 'Basis + deren\n\nBasis + meins');
  // Typing on in a pending section keeps it pending, even back to the origin.
  e = rec.edit(e, 'goals', 'Basis');
  assert.equal(rec.isPending(e, 'goals'), true);
});

test('the same text on both sides settles the edit', () => {
  let e = rec.initialEditor(view(1));
  e = rec.edit(e, 'goals', 'gleich');
  e = rec.absorb(e, view(2, { goals: 'gleich' }));
  assert.deepEqual(rec.dirtySections(e), []);
});

test('older states are ignored; finishing at the same revision is taken', () => {
  let e = rec.initialEditor(view(3, { goals: 'drei' }));
  assert.equal(rec.absorb(e, view(2, { goals: 'zwei' })), e);
  assert.equal(rec.absorb(e, view(3, { goals: 'drei' })), e);
  e = rec.absorb(e, view(3, { goals: 'drei' }, { status: 'finished', reference: 'HE-2026-001' }));
  assert.equal(e.server.status, 'finished');
  assert.equal(rec.absorb(e, view(3, { goals: 'drei' })), e, 'never back to draft');
  assert.equal(rec.absorb(e, { ...view(4), id: 'other' }), e);
});

test('merging: theirs drops the edit; a merged text is based on theirs and saveable', () => {
  const base = rec.absorb(rec.edit(rec.initialEditor(view(1)), 'goals', 'meins'), view(2, { goals: 'deren' }));
  assert.equal(rec.isPending(base, 'goals'), true);
  const theirs = rec.resolve(base, 'goals', 'deren');
  assert.deepEqual(rec.dirtySections(theirs), []);
  const merged = rec.resolve(base, 'goals', 'deren\n\nmeins');
  assert.equal(rec.isPending(merged, 'goals'), false);
  const req = rec.saveRequest(merged);
  assert.equal(req.ifMatch, 2);
  assert.deepEqual(req.body, { goals: 'deren\n\nmeins' });
});

test('a 409 makes the conflicting sections pending and keeps every edit', () => {
  let e = rec.initialEditor(view(1));
  e = rec.edit(e, 'goals', 'meins');
  e = rec.edit(e, 'measures', 'auch meins');
  const current = view(2, { goals: 'deren' });
  e = rec.afterConflict(e, current, [{ field: 'goals', code: 'conflict' }]);
  assert.equal(e.server.revision, 2);
  assert.deepEqual(rec.pendingSections(e), ['goals']);
  assert.deepEqual(rec.dirtySections(e), ['goals', 'measures']);
  assert.equal(rec.displayValue(e, 'goals'), 'meins');
  // A section the server names although its text did not move for us is pending too.
  let f = rec.edit(rec.initialEditor(view(2, { timeline: 'x' })), 'timeline', 'y');
  f = rec.afterConflict(f, view(3, { timeline: 'x' }), [{ field: 'timeline' }]);
  assert.equal(rec.isPending(f, 'timeline'), true);
  assert.equal(rec.mergeOf(f, 'timeline').theirs, 'x');
});

test('merge suggestions for lists combine both; resources keep figures', () => {
  assert.deepEqual(rec.suggestMerge('policyFields', ['a'], ['b', 'a']), ['a', 'b']);
  assert.deepEqual(rec.suggestMerge('impactKinds', ['ideational'], ['financial']), ['financial', 'ideational']);
  const both = rec.suggestMerge('indicators', [{ name: 'A' }], [{ name: 'A' }, { name: 'B' }]);
  assert.deepEqual(both.map((i) => i.name), ['A', 'B']);
  assert.equal(rec.suggestMerge('title', 'T1', 'T2'), 'T2');
  assert.equal(rec.suggestMerge('goals', '', 'mine'), 'mine');
  assert.equal(rec.suggestMerge('goals', 'a mine b', 'mine'), 'a mine b');
  const r = rec.suggestMerge('resources', { personnelFte: 1, note: 'x' }, { moneyEuroPerYear: 5, note: 'y' });
  assert.deepEqual(r, { personnelFte: 1, durationMonths: null, moneyEuroPerYear: 5, note: 'x\n\ny' });
});

test('the draft survives a reload through sessionStorage text', () => {
  let e = rec.initialEditor(view(4, { goals: 'Basis' }));
  assert.equal(rec.serializeDraft(e), null);
  e = rec.edit(e, 'goals', 'Basis ergänzt');
  e = rec.edit(e, 'indicators', [{ name: 'Quote', baseline: 1, target: 2 }]);
  const stored = rec.serializeDraft(e);
  // Reloaded: meanwhile someone changed goals (revision 5).
  const fresh = rec.restoreDraft(rec.initialEditor(view(5, { goals: 'Basis von anderen' })), stored);
  assert.deepEqual(rec.dirtySections(fresh), ['goals', 'indicators']);
  assert.equal(rec.displayValue(fresh, 'goals'), 'Basis ergänzt');
  assert.deepEqual(rec.pendingSections(fresh), ['goals']);
  // Broken or foreign data changes nothing.
  const plain = rec.initialEditor(view(5));
  assert.equal(rec.restoreDraft(plain, '{nope'), plain);
  assert.equal(rec.restoreDraft(plain, JSON.stringify({ v: 1, id: 'other', edits: { goals: { value: 'x' } } })), plain);
  assert.deepEqual(rec.dirtySections(rec.restoreDraft(plain, JSON.stringify({ v: 1, id: 'r1', edits: { goals: { value: 'x' } } }))), ['goals']);
});

test('client-side checks mirror the server rules', () => {
  assert.deepEqual(rec.validateSection('title', 'ab').map((i) => i.code), ['length']);
  assert.deepEqual(rec.validateSection('title', 'abc'), []);
  assert.deepEqual(rec.validateSection('budgetYears', [2026, 2028]).map((i) => i.field), ['budgetYears']);
  assert.deepEqual(rec.validateSection('budgetYears', [2026, 2027]), []);
  assert.deepEqual(rec.validateSection('budgetYears', [1999]).map((i) => i.code), ['invalid']);
  assert.deepEqual(rec.validateSection('resources', { personnelFte: 'invalid', durationMonths: 2.5, moneyEuroPerYear: -1, note: '' }).map((i) => i.field),
    ['resources.personnelFte', 'resources.durationMonths', 'resources.moneyEuroPerYear']);
  assert.deepEqual(rec.validateSection('indicators', [{ name: '' }, { name: 'ok', unit: 'x'.repeat(41) }]).map((i) => i.field), ['indicators[0].name', 'indicators[1]']);
});

test('the list in a workspace follows live events, newest change first, drafts before finished', () => {
  let list = [view(1, { title: 'A' })];
  list = rec.applyListEvent(list, { name: 'recommendation.created', data: { ...view(1, { title: 'B' }), id: 'r2', updatedAt: '2026-03-02T00:00:00Z' } }, 'w1');
  list = rec.applyListEvent(list, { name: 'recommendation.updated', data: view(2, { title: 'A2' }) }, 'w1');
  assert.equal(rec.applyListEvent(list, { name: 'recommendation.updated', data: view(1, { title: 'old' }) }, 'w1'), list);
  assert.equal(rec.applyListEvent(list, { name: 'recommendation.created', data: { ...view(1), id: 'x', workspaceId: 'w2' } }, 'w1'), list);
  assert.equal(rec.applyListEvent(null, { name: 'recommendation.created', data: view(1) }, 'w1'), null);
  assert.equal(rec.applyListEvent(list, { name: 'member.added', data: {} }, 'w1'), list);
  list = rec.applyListEvent(list, { name: 'recommendation.finished', data: { ...view(2, { title: 'A2' }), status: 'finished', reference: 'HE-2026-001', updatedAt: '2026-03-09T00:00:00Z' } }, 'w1');
  assert.deepEqual(rec.sortRecommendations(list).map((r) => r.profile.title), ['B', 'A2']);
});

test('presence per section: others only, by the focus key of this recommendation', () => {
  assert.equal(rec.focusKey('r1', 'goals'), 'r1:goals');
  assert.equal(rec.focusKey('r1', null), null);
  const p = rec.presenceBySection([
    { id: 'me', displayName: 'Ich', focus: 'r1:goals' },
    { id: 'a', displayName: 'A', focus: 'r1:goals' },
    { id: 'b', displayName: 'B', focus: 'r1:measures' },
    { id: 'c', displayName: 'C', focus: 'r2:goals' },
    { id: 'd', displayName: 'D' },
    { id: 'e', displayName: 'E', focus: 'r1:nonsense' },
    { id: 'a', displayName: 'A again', focus: null },
  ], 'r1', 'me');
  assert.deepEqual(Object.keys(p.bySection).sort(), ['goals', 'measures']);
  assert.deepEqual(p.bySection.goals.map((u) => u.id), ['a']);
  assert.deepEqual(p.elsewhere.map((u) => u.id), ['c', 'd']);
  assert.deepEqual(p.here.map((u) => u.id), ['e']);
});

test('sign-off events update the slots', () => {
  const state = { slots: [{ capacity: 'coordinator', organization: null, given: null }], mayGiveAs: ['coordinator'], missing: [] };
  const signed = rec.applySignOffEvent(state, { name: 'recommendation.signedOff', data: { capacity: 'coordinator', userId: 'u1', revision: 3, displayName: 'K' } }, 3);
  assert.equal(signed.slots[0].given.userId, 'u1');
  assert.deepEqual(signed.mayGiveAs, []);
  assert.equal(rec.applySignOffEvent(state, { name: 'recommendation.signedOff', data: { capacity: 'coordinator', revision: 2 } }, 3), state, 'an older revision');
  const withdrawn = rec.applySignOffEvent(signed, { name: 'recommendation.signOffWithdrawn', data: { capacity: 'coordinator', userId: 'u1' } }, 3);
  assert.equal(withdrawn.slots[0].given, null);
  assert.deepEqual(rec.parseCapacity('municipality:abc'), { kind: 'municipality', organizationId: 'abc' });
  assert.deepEqual(rec.parseCapacity('coordinator'), { kind: 'coordinator', organizationId: null });
});

test('keys built at run time for recommendations, catalogue and steering exist in both languages', async () => {
  const { messages, LANGUAGES } = await import('../lib/i18n.js');
  const { RATING_LEVELS, CATALOGUE_STATUSES } = await import('../state/catalogue.js');
  const keys = [
    ...rec.SECTIONS.flatMap((s) => [`rec.section.${s}`, `rec.section.${s}.hint`]),
    ...rec.SECTIONS.filter((s) => s !== 'title').map((s) => `rec.missing.${s}`),
    ...rec.IMPACT_KINDS.flatMap((k) => [`rec.impact.${k}`, `rec.impact.${k}.hint`]),
    ...rec.DIRECTIONS.map((d) => `rec.direction.${d}`),
    ...rec.STATUSES.map((s) => `rec.status.${s}`),
    ...RATING_LEVELS.map((l) => `rating.${l}`),
    ...CATALOGUE_STATUSES.map((s) => `catalogue.status.${s}`),
    ...['none', 'upcoming', 'open', 'closed'].map((s) => `steering.round.state.${s}`),
    ...['recommendation.finished', 'recommendation.editConflict', 'recommendation.incomplete', 'signOff.notYourCapacity', 'signOff.exists',
      'version.conflict', 'rating.steeringOnly', 'rating.noRound', 'rating.roundClosed', 'ratingRound.exists'].map((c) => `errorCode.${c}`),
    'fieldError.title.length', 'fieldError.resources.outOfRange', 'fieldError.budgetYears.invalid', 'fieldError.indicators.length',
    'fieldError.justification.length', 'fieldError.level.required', 'fieldError.closesOn.beforeOpening',
  ];
  for (const lang of LANGUAGES) for (const key of keys) assert.ok(messages[lang][key], `${lang}:${key}`);
  assert.equal(messages.de['rating.highlyRelevant'], 'in hohem Maße steuerungsrelevant');
  assert.equal(messages.de['rating.relevant'], 'steuerungsrelevant');
  assert.equal(messages.de['rating.lessRelevant'], 'weniger steuerungsrelevant (nicht im Dossier)');
});
