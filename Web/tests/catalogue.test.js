import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as cat from '../state/catalogue.js';

const entry = (ref, extra = {}) => ({
  reference: ref, recommendationId: `r-${ref}`, workspaceId: 'w1', workspaceName: 'Integration', year: Number(ref.slice(3, 7)),
  revision: 4, finishedAt: '2026-04-01T10:00:00Z', status: 'submitted', consensus: null, inDossier: false,
  profile: { title: `Titel ${ref}`, policyFieldIds: ['p1'], situation: '', dataBasis: '', goals: 'Sprachförderung für Kinder', measures: '', targetGroups: '',
    responsibleBody: '', resources: { note: '' }, budgetYears: [2026], impactKinds: ['structural'], indicators: [], timeline: '' },
  ...extra,
});

test('filters ⇄ URL: round trip, order fixed, invalid values dropped', () => {
  const f = { policyField: 'p-1', workspace: 'w-2', year: '2026', status: 'rated', rating: 'relevant', q: 'Kita  Sprache ' };
  const query = cat.filtersToQuery(f);
  assert.equal(query, 'policyField=p-1&workspace=w-2&year=2026&status=rated&rating=relevant&q=Kita%20%20Sprache');
  assert.deepEqual(cat.filtersFromQuery(query), { ...f, q: 'Kita Sprache' });
  assert.equal(cat.catalogueHash(f), `#/catalogue?${query}`);
  assert.equal(cat.catalogueHash(cat.EMPTY_FILTERS), '#/catalogue');
  assert.deepEqual(cat.filtersFromQuery('year=26&status=nope&rating=<b>&policyField=a%20b&workspace=x/y&q=' + 'x'.repeat(300)),
    { policyField: '', workspace: '', year: '', status: '', rating: '', q: 'x'.repeat(200) });
  assert.equal(cat.hashQuery('#/catalogue?year=2026&q=a'), 'year=2026&q=a');
  assert.equal(cat.hashQuery('#/catalogue'), '');
});

test('the API and CSV paths carry the same filters', () => {
  const f = { ...cat.EMPTY_FILTERS, rating: 'highlyRelevant', q: 'Ämter & Lotsen' };
  assert.equal(cat.cataloguePath(f), '/api/v1/catalogue?rating=highlyRelevant&q=%C3%84mter%20%26%20Lotsen');
  assert.deepEqual(cat.filtersFromQuery('q=a+b'), { ...cat.EMPTY_FILTERS, q: 'a b' }, 'a shared address with + still reads as spaces');
  assert.equal(cat.cataloguePath(f, { csv: true }), '/api/v1/catalogue.csv?rating=highlyRelevant&q=%C3%84mter%20%26%20Lotsen');
  assert.equal(cat.cataloguePath(cat.EMPTY_FILTERS), '/api/v1/catalogue');
  assert.equal(cat.hasFilters(cat.EMPTY_FILTERS), false);
  assert.equal(cat.hasFilters(f), true);
  assert.equal(cat.sameFilters(f, { ...f }), true);
});

test('live entries are matched like the server: fields, year, status, rating, words without case and accents', () => {
  const e = entry('HE-2026-003');
  assert.equal(cat.matchesFilters(e, cat.EMPTY_FILTERS), true);
  assert.equal(cat.matchesFilters(e, { ...cat.EMPTY_FILTERS, policyField: 'p2' }), false);
  assert.equal(cat.matchesFilters(e, { ...cat.EMPTY_FILTERS, year: '2026', workspace: 'w1', status: 'submitted' }), true);
  assert.equal(cat.matchesFilters(e, { ...cat.EMPTY_FILTERS, rating: 'relevant' }), false);
  assert.equal(cat.matchesFilters(e, { ...cat.EMPTY_FILTERS, q: 'SPRACHFORDERUNG kinder' }), true);
  assert.equal(cat.matchesFilters(e, { ...cat.EMPTY_FILTERS, q: 'integration he-2026-003' }), true);
  assert.equal(cat.matchesFilters(e, { ...cat.EMPTY_FILTERS, q: 'Kinder Pflege' }), false);
  assert.equal(cat.fold('Ämter Größe'), 'amter große');
});

test('references sort newest first', () => {
  const list = ['HE-2025-010', 'HE-2026-002', 'HE-2026-010', 'HE-2026-1000'].map((r) => ({ reference: r }));
  assert.deepEqual(list.slice().sort(cat.compareReferences).map((e) => e.reference), ['HE-2026-1000', 'HE-2026-010', 'HE-2026-002', 'HE-2025-010']);
  assert.equal(cat.isReference('HE-2026-001'), true);
  assert.equal(cat.isReference('HE-26-1'), false);
});

test('live events add, update and remove entries by the filters; facets grow', () => {
  let state = cat.applyList(cat.initialCatalogue(), { items: [entry('HE-2026-001')], cursor: { epoch: 'e', seq: 3 } }, { facets: true });
  assert.deepEqual(state.facets, { workspaces: { w1: 'Integration' }, years: [2026] });
  const filters = { ...cat.EMPTY_FILTERS, status: 'submitted' };
  let r = cat.applyCatalogueEvent(state, { name: 'catalogue.entryAdded', data: entry('HE-2026-002', { workspaceId: 'w2', workspaceName: 'Inklusion' }) }, filters);
  assert.equal(r.change, 'added');
  assert.deepEqual(r.state.items.map((e) => e.reference), ['HE-2026-002', 'HE-2026-001']);
  assert.equal(r.state.facets.workspaces.w2, 'Inklusion');
  state = r.state;
  r = cat.applyCatalogueEvent(state, { name: 'catalogue.entryAdded', data: entry('HE-2026-002', { workspaceId: 'w2', workspaceName: 'Inklusion' }) }, filters);
  assert.equal(r.change, null, 'the same entry twice changes nothing');
  const rated = entry('HE-2026-001', { status: 'rated', consensus: { level: 'relevant', justification: 'gut', at: '2026-05-01T00:00:00Z' }, inDossier: true });
  r = cat.applyCatalogueEvent(state, { name: 'catalogue.consensusSet', data: rated }, filters);
  assert.equal(r.change, 'removed', 'no longer "submitted"');
  r = cat.applyCatalogueEvent(state, { name: 'catalogue.consensusSet', data: rated }, cat.EMPTY_FILTERS);
  assert.equal(r.change, 'updated');
  assert.equal(r.state.items.find((e) => e.reference === 'HE-2026-001').consensus.level, 'relevant');
  r = cat.applyCatalogueEvent(state, { name: 'catalogue.entryAdded', data: entry('HE-2025-009') }, { ...cat.EMPTY_FILTERS, year: '2026' });
  assert.equal(r.change, null);
  assert.deepEqual(r.state.facets.years, [2026, 2025]);
  assert.equal(cat.applyCatalogueEvent(state, { name: 'other', data: entry('HE-2026-005') }, filters).change, null);
});
