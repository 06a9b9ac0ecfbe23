import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as adm from '../state/admin.js';
import { messages } from '../lib/i18n.js';

test('audit filters are normalized', () => {
  assert.deepEqual(adm.normalizeAuditFilters({}), { type: '', actor: '', limit: 100 });
  assert.deepEqual(adm.normalizeAuditFilters({ type: 'auth.ok', actor: ' u1 ', limit: '50' }), { type: 'auth.ok', actor: 'u1', limit: 50 });
  assert.deepEqual(adm.normalizeAuditFilters({ type: 'drop table', limit: 7 }), { type: '', actor: '', limit: 100 });
});

test('auditPath leaves out empty filters and always sends a limit', () => {
  assert.equal(adm.auditPath({}), '/api/v1/audit?limit=100');
  assert.equal(adm.auditPath({ type: 'auth.failed', limit: 200 }), '/api/v1/audit?type=auth.failed&limit=200');
  assert.equal(adm.auditPath({ actor: 'a b&c' }), '/api/v1/audit?actor=a+b%26c&limit=100');
});

test('audit filters round-trip through the route query', () => {
  const f = { type: 'totp.enabled', actor: 'u9', limit: 500 };
  const params = adm.auditFiltersToParams(f);
  assert.equal(params.toString(), 'type=totp.enabled&actor=u9&limit=500');
  assert.deepEqual(adm.auditFiltersFromParams(params), f);
  assert.equal(adm.auditFiltersToParams(adm.DEFAULT_AUDIT_FILTERS).toString(), '');
});

test('sortAudit: newest first, numeric and string ids, id 0 kept', () => {
  const items = [
    { id: 0, at: '2026-11-22T10:00:00Z' },
    { id: 2, at: '2026-11-22T12:00:00Z' },
    { id: 1, at: '2026-11-22T12:00:00Z' },
    { id: 'x', at: '2026-11-22T11:00:00Z' },
    null,
    { at: 'no id' },
  ];
  assert.deepEqual(adm.sortAudit(items).map((x) => x.id), [2, 1, 'x', 0]);
  assert.deepEqual(adm.sortAudit(undefined), []);
});

test('auditDetailText and shortHash', () => {
  assert.equal(adm.auditDetailText(null), '');
  assert.equal(adm.auditDetailText('role: member'), 'role: member');
  assert.equal(adm.auditDetailText({ role: 'member', organization: null, n: 3 }), 'role: member, n: 3');
  assert.equal(adm.auditDetailText({ nested: { a: 1 } }), 'nested: {"a":1}');
  assert.equal(adm.auditDetailText(['a', { b: 1 }]), 'a, b: 1');
  assert.equal(adm.auditDetailText(42), '42');
  assert.equal(adm.shortHash('c9cec7e311edd13a39102a82'), 'c9cec7e311…');
  assert.equal(adm.shortHash('abc'), 'abc');
  assert.equal(adm.shortHash(null), '');
});

test('users: sorted by name; a PATCH answer replaces one user', () => {
  const users = [
    { id: '1', displayName: 'Zora', email: 'z@x' },
    { id: '2', displayName: 'anton', email: 'a@x', isAdmin: false },
    { id: '3', displayName: 'Anton', email: 'b@x' },
  ];
  assert.deepEqual(adm.sortUsers(users).map((u) => u.id), ['2', '3', '1']);
  const next = adm.applyUser(users, { id: '2', isAdmin: true });
  assert.equal(next.find((u) => u.id === '2').isAdmin, true);
  assert.equal(next.find((u) => u.id === '2').displayName, 'anton');
  assert.equal(users[1].isAdmin, false, 'the input is not changed');
  assert.equal(adm.applyUser(users, { id: '9' }), users);
});

test('flag patches and their announcements', () => {
  assert.deepEqual(adm.flagPatch('isAdmin', 1), { isAdmin: true });
  assert.deepEqual(adm.flagPatch('isSteering', false), { isSteering: false });
  assert.throws(() => adm.flagPatch('isRoot', true));
  for (const flag of ['isAdmin', 'isSteering']) {
    for (const value of [true, false]) {
      const key = adm.flagMessageKey(flag, value);
      assert.ok(key in messages.de && key in messages.en, key);
    }
  }
});

test('every audit type has a label in both languages', () => {
  for (const type of adm.AUDIT_TYPES) {
    assert.ok(messages.de[`audit.type.${type}`], `de audit.type.${type}`);
    assert.ok(messages.en[`audit.type.${type}`], `en audit.type.${type}`);
  }
});

test('auditSubjectText names a known account and keeps anything else as recorded', () => {
  const users = [{ id: 'u-1', displayName: 'Mia Mitglied', email: 'mia@example.org' }];
  assert.equal(adm.auditSubjectText('u-1', users), 'Mia Mitglied (mia@example.org)');
  assert.equal(adm.auditSubjectText('u-2', users), 'u-2');
  assert.equal(adm.auditSubjectText(null, users), '');
  assert.equal(adm.auditSubjectText('workspace=Integration'), 'workspace=Integration');
});

test('every audit type the server writes has a filter entry', () => {
  for (const type of ['password.resetRequested', 'password.resetIssued', 'password.reset', 'organization.created', 'organization.updated']) {
    assert.ok(adm.AUDIT_TYPES.includes(type), type);
  }
});
