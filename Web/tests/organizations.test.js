import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as org from '../state/organizations.js';
import { messages } from '../lib/i18n.js';

const list = [
  { id: 'o3', name: 'Stadt Nordheim', kind: 'municipality' },
  { id: 'o1', name: 'Kreisverwaltung', kind: 'district' },
  { id: 'o2', name: 'Gemeinde Südtal', kind: 'municipality' },
  { id: 'o4', name: 'Seniorenbeirat', kind: 'council' },
  { id: 'o5', name: 'Alte Kammer', kind: 'guild' },
];

test('the kinds are those of the server', () => {
  assert.deepEqual(org.ORGANIZATION_KINDS, ['district', 'municipality', 'agency', 'council', 'other']);
  assert.equal(org.isKind('agency'), true);
  assert.equal(org.isKind('Agency'), false);
  assert.equal(org.isKind(''), false);
});

test('names are normalized like the server does: trimmed, whitespace collapsed', () => {
  assert.equal(org.normalizeName('  Stadt \t  Nordheim \n'), 'Stadt Nordheim');
  assert.equal(org.normalizeName(''), '');
  assert.equal(org.normalizeName(null), '');
  assert.equal(org.normalizeName('Gemeinde\u00a0Südtal'), 'Gemeinde Südtal');
});

test('sortOrganizations: by name, invalid entries dropped, input unchanged', () => {
  const input = [...list, null, { name: 'no id' }];
  assert.deepEqual(org.sortOrganizations(input).map((o) => o.id), ['o5', 'o2', 'o1', 'o4', 'o3']);
  assert.equal(input[0].id, 'o3');
  assert.deepEqual(org.sortOrganizations(undefined), []);
  const reverse = (a, b) => String(b).localeCompare(String(a));
  assert.deepEqual(org.sortOrganizations(list, reverse).map((o) => o.id), ['o3', 'o4', 'o1', 'o2', 'o5']);
});

test('groupByKind: fixed kind order, sorted within, empty groups left out, unknown kinds as other', () => {
  const groups = org.groupByKind(list);
  assert.deepEqual(groups.map((g) => g.kind), ['district', 'municipality', 'council', 'other']);
  assert.deepEqual(groups[1].items.map((o) => o.name), ['Gemeinde Südtal', 'Stadt Nordheim']);
  assert.deepEqual(groups[3].items.map((o) => o.id), ['o5']);
  assert.deepEqual(org.groupByKind([]), []);
});

test('upsertOrganization replaces by id or appends; organizationName looks names up', () => {
  const renamed = org.upsertOrganization(list, { id: 'o1', name: 'Kreisverwaltung Süd', kind: 'district' });
  assert.equal(org.organizationName(renamed, 'o1'), 'Kreisverwaltung Süd');
  assert.equal(org.organizationName(list, 'o1'), 'Kreisverwaltung', 'the input is not changed');
  const added = org.upsertOrganization(list, { id: 'o9', name: 'Caritasverband', kind: 'agency' });
  assert.equal(added.length, list.length + 1);
  assert.equal(org.upsertOrganization(list, null), list);
  assert.equal(org.upsertOrganization(list, { name: 'no id' }), list);
  assert.deepEqual(org.upsertOrganization(undefined, { id: 'x', name: 'X', kind: 'other' }), [{ id: 'x', name: 'X', kind: 'other' }]);
  assert.equal(org.organizationName(list, null), null);
  assert.equal(org.organizationName(list, 'nope'), null);
  assert.equal(org.organizationName(null, 'o1'), null);
});

test('withCurrent keeps a member’s organization that the list does not hold', () => {
  assert.equal(org.withCurrent(list, { id: 'o2', name: 'Gemeinde Südtal' }).length, list.length);
  const kept = org.withCurrent(list, { id: 'gone', name: 'Alter Name' });
  assert.deepEqual(kept.at(-1), { id: 'gone', name: 'Alter Name', kind: 'other' });
  assert.deepEqual(org.withCurrent(null, { id: 'x', name: null }), [{ id: 'x', name: 'x', kind: 'other' }]);
  assert.deepEqual(org.withCurrent(list, null).length, list.length);
  assert.equal(org.selectedId(''), null);
  assert.equal(org.selectedId(' o1 '), 'o1');
  assert.equal(org.selectedId(undefined), null);
});

test('validateOrganization: name required and 2 to 160 characters, a known kind', () => {
  assert.deepEqual(org.validateOrganization({ name: '  Stadt   Nordheim ', kind: 'municipality' }), {
    issues: [],
    body: { name: 'Stadt Nordheim', kind: 'municipality' },
  });
  const codes = (v) => org.validateOrganization(v).issues.map((x) => `${x.field}.${x.code}`);
  assert.deepEqual(codes({ name: '   ', kind: '' }), ['organizationName.required', 'organizationKind.required']);
  assert.deepEqual(codes({ name: 'X', kind: 'agency' }), ['organizationName.invalid']);
  assert.deepEqual(codes({ name: 'x'.repeat(161), kind: 'agency' }), ['organizationName.invalid']);
  assert.deepEqual(codes({ name: 'x'.repeat(160), kind: 'agency' }), []);
  assert.deepEqual(codes({ name: 'Ab', kind: 'club' }), ['organizationKind.required']);
  // Characters, not UTF-16 units: 80 emoji are 80 characters.
  assert.deepEqual(codes({ name: '🏛'.repeat(80), kind: 'other' }), []);
});

test('organizationPatch sends only what changed', () => {
  const before = { id: 'o1', name: 'Kreisverwaltung', kind: 'district' };
  assert.deepEqual(org.organizationPatch(before, { name: ' Kreisverwaltung ', kind: 'district' }), {});
  assert.deepEqual(org.organizationPatch(before, { name: 'Kreisverwaltung Nord', kind: 'district' }), { name: 'Kreisverwaltung Nord' });
  assert.deepEqual(org.organizationPatch(before, { name: 'kreisverwaltung', kind: 'other' }), { name: 'kreisverwaltung', kind: 'other' });
  assert.deepEqual(org.organizationPatch(null, { name: 'A b', kind: 'other' }), { name: 'A b', kind: 'other' });
});

test('organizationIssues: the duplicate becomes a name error, server fields get the client names', () => {
  assert.deepEqual(org.organizationIssues({ status: 409, code: 'organization.duplicate', fields: [] }), [
    { field: 'organizationName', code: 'duplicate', message: '' },
  ]);
  assert.deepEqual(org.organizationIssues({ status: 422, code: 'validation.failed', fields: [{ field: 'name', code: 'invalid', message: 'A name of 2 to 160 characters.' }] }), [
    { field: 'organizationName', code: 'invalid', message: 'A name of 2 to 160 characters.' },
  ]);
  assert.deepEqual(org.organizationIssues({ fields: [{ field: 'kind', code: 'invalid', message: 'x' }, { field: 'other', code: 'y', message: '' }] }).map((x) => x.field), ['organizationKind', 'other']);
  assert.equal(org.organizationIssues({ status: 403, code: 'forbidden', fields: [] }), null);
  assert.equal(org.organizationIssues(null), null);
});

test('every kind and every client field error has a text in both languages', () => {
  const keys = [
    ...org.ORGANIZATION_KINDS.map((k) => `organization.kind.${k}`),
    'fieldError.organizationName.required', 'fieldError.organizationName.invalid', 'fieldError.organizationName.duplicate',
    'fieldError.organizationKind.required', 'fieldError.organizationKind.invalid', 'fieldError.organizationId.unknown',
    'errorCode.organization.duplicate', 'errorCode.organization.notFound',
  ];
  for (const lang of ['de', 'en']) for (const key of keys) assert.ok(messages[lang][key], `${lang}:${key}`);
});
