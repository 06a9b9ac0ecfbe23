import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as dir from '../state/workspaces.js';

const E = 'e1';
const ws = (id, extra = {}) => ({
  id, kind: 'focusGroup', name: `WS ${id}`, description: '', policyFieldIds: [], endsOn: null,
  archived: false, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', version: 1, ...extra,
});
const pf = (id, extra = {}) => ({ id, key: id, nameDe: `Feld ${id}`, nameEn: `Field ${id}`, prioritisedYears: [], version: 1, ...extra });

function loaded() {
  return dir.applySnapshot(dir.initialDirectory(), {
    workspaces: { items: [ws('a', { name: 'Zukunft' }), ws('b', { name: 'Altenhilfe', kind: 'taskForce', policyFieldIds: ['p1'] })], cursor: { topic: 'directory', epoch: E, seq: 4 } },
    policyFields: { items: [pf('p1'), pf('p2', { nameDe: 'Armut', nameEn: 'Poverty' })], cursor: { topic: 'directory', epoch: E, seq: 3 } },
  });
}

test('applySnapshot indexes items and keeps the oldest cursor', () => {
  const s = loaded();
  assert.deepEqual(Object.keys(s.workspaces).sort(), ['a', 'b']);
  assert.deepEqual(Object.keys(s.policyFields).sort(), ['p1', 'p2']);
  assert.deepEqual(s.cursor, { epoch: E, seq: 3 });
  assert.equal(s.loaded, true);
});

test('mergeCursors handles missing and mixed epochs', () => {
  assert.equal(dir.mergeCursors(null, undefined), null);
  assert.deepEqual(dir.mergeCursors({ epoch: E, seq: 9 }), { epoch: E, seq: 9 });
  assert.equal(dir.mergeCursors({ epoch: E, seq: 9 }, { epoch: 'x', seq: 1 }), null);
});

test('snapshot replaces, it does not merge', () => {
  const s = dir.applySnapshot(loaded(), { workspaces: { items: [ws('c')], cursor: { epoch: E, seq: 9 } }, policyFields: { items: [], cursor: { epoch: E, seq: 9 } } });
  assert.deepEqual(Object.keys(s.workspaces), ['c']);
});

test('workspace.created adds a row once; the same event again changes nothing', () => {
  const s0 = loaded();
  const event = { name: 'workspace.created', topic: 'directory', epoch: E, seq: 5, data: ws('c') };
  const s1 = dir.applyEvent(s0, event);
  assert.notEqual(s1, s0);
  assert.equal(Object.keys(s1.workspaces).length, 3);
  const s2 = dir.applyEvent(s1, event);
  assert.equal(s2.workspaces, s1.workspaces);
  assert.equal(dir.selectWorkspaces(s2, { ...dir.DEFAULT_FILTERS }).filter((w) => w.id === 'c').length, 1);
  assert.equal(s0.workspaces.c, undefined, 'the old state is untouched');
});

test('updates apply only when newer', () => {
  const s0 = loaded();
  const s1 = dir.applyEvent(s0, { name: 'workspace.updated', seq: 5, data: ws('a', { name: 'Neu', version: 2 }) });
  assert.equal(s1.workspaces.a.name, 'Neu');
  const s2 = dir.applyEvent(s1, { name: 'workspace.updated', seq: 6, data: ws('a', { name: 'Alt', version: 1 }) });
  assert.equal(s2.workspaces.a.name, 'Neu');
  assert.equal(s2.workspaces, s1.workspaces);
});

test('archived and restored replace the workspace', () => {
  let s = dir.applyEvent(loaded(), { name: 'workspace.archived', seq: 5, data: ws('a', { archived: true, version: 2 }) });
  assert.equal(s.workspaces.a.archived, true);
  s = dir.applyEvent(s, { name: 'workspace.restored', seq: 6, data: ws('a', { archived: false, version: 3 }) });
  assert.equal(s.workspaces.a.archived, false);
});

test('policyField.updated replaces a policy field', () => {
  const s = dir.applyEvent(loaded(), { name: 'policyField.updated', seq: 5, data: pf('p1', { nameDe: 'Gesundheit', version: 2 }) });
  assert.equal(s.policyFields.p1.nameDe, 'Gesundheit');
});

test('unknown events change nothing', () => {
  const s0 = loaded();
  assert.equal(dir.applyEvent(s0, { name: 'meeting.created', data: {} }).workspaces, s0.workspaces);
  assert.equal(dir.applyEvent(s0, null), s0);
});

test('the cursor follows applied events', () => {
  const s = dir.applyEvent(loaded(), { name: 'workspace.created', epoch: E, seq: 7, data: ws('z') });
  assert.deepEqual(s.cursor, { epoch: E, seq: 7 });
});

test('selectWorkspaces filters by kind, policy field and archived, sorted by name', () => {
  let s = loaded();
  s = dir.applyEvent(s, { name: 'workspace.created', seq: 5, data: ws('c', { name: 'Mobilität', archived: true }) });
  const names = (f) => dir.selectWorkspaces(s, { ...dir.DEFAULT_FILTERS, ...f }).map((w) => w.name);
  assert.deepEqual(names({}), ['Altenhilfe', 'Zukunft']);
  assert.deepEqual(names({ showArchived: true }), ['Altenhilfe', 'Zukunft', 'Mobilität']);
  assert.deepEqual(names({ kind: 'taskForce' }), ['Altenhilfe']);
  assert.deepEqual(names({ policyFieldId: 'p1' }), ['Altenhilfe']);
  assert.deepEqual(names({ policyFieldId: 'p2' }), []);
});

test('sorting uses German collation (umlauts sort with their base letter)', () => {
  let s = dir.initialDirectory();
  s = dir.applySnapshot(s, { workspaces: { items: [ws('1', { name: 'Zweckverband' }), ws('2', { name: 'Ämterlotsen' }), ws('3', { name: 'Beirat' })], cursor: null } });
  assert.deepEqual(dir.selectWorkspaces(s).map((w) => w.name), ['Ämterlotsen', 'Beirat', 'Zweckverband']);
});

test('filters round-trip through URL parameters', () => {
  const f = { kind: 'planningTeam', policyFieldId: 'p1', showArchived: true };
  assert.deepEqual(dir.filtersFromParams(dir.filtersToParams(f)), f);
  assert.deepEqual(dir.filtersFromParams(new URLSearchParams('kind=bogus')), dir.DEFAULT_FILTERS);
});

test('policy field names by language, with fallbacks', () => {
  assert.equal(dir.policyFieldName(pf('x'), 'de'), 'Feld x');
  assert.equal(dir.policyFieldName(pf('x'), 'en'), 'Field x');
  assert.equal(dir.policyFieldName(pf('x', { nameEn: '' }), 'en'), 'Feld x');
  assert.deepEqual(dir.selectPolicyFields(loaded(), 'en').map((p) => p.nameEn), ['Field p1', 'Poverty']);
  assert.deepEqual(dir.selectPolicyFields(loaded(), 'de').map((p) => p.nameDe), ['Armut', 'Feld p1']);
});
