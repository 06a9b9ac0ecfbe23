import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as det from '../state/detail.js';
import { describeEvent } from '../state/announce.js';
import { translate } from '../lib/i18n.js';

const ws = (extra = {}) => ({ id: 'w1', kind: 'taskForce', name: 'TF', description: 'd', policyFieldIds: [], endsOn: '2026-03-31', archived: false, version: 1, ...extra });
const member = (userId, extra = {}) => ({ userId, displayName: `User ${userId}`, role: 'member', organization: null, ...extra });

test('applyWorkspace keeps the newest version and ignores other ids', () => {
  let s = det.initialDetail('w1');
  s = det.applyWorkspace(s, ws({ version: 2, name: 'B' }));
  assert.equal(s.workspace.name, 'B');
  assert.equal(det.applyWorkspace(s, ws({ version: 1, name: 'A' })), s);
  assert.equal(det.applyWorkspace(s, ws({ id: 'other', version: 9 })), s);
  assert.equal(det.applyWorkspace(s, ws({ version: 3, name: 'C' })).workspace.name, 'C');
});

test('member events before the member list are applied when it arrives', () => {
  let s = det.initialDetail('w1');
  s = det.applyDetailEvent(s, { name: 'member.added', data: member('u3') });
  s = det.applyDetailEvent(s, { name: 'member.removed', data: { userId: 'u1' } });
  assert.equal(s.members, null);
  s = det.applyMembers(s, [member('u1'), member('u2')]);
  assert.deepEqual(s.members.map((m) => m.userId), ['u2', 'u3']);
  assert.deepEqual(s.pendingMemberEvents, []);
});

test('member events are idempotent', () => {
  let s = det.applyMembers(det.initialDetail('w1'), [member('u1')]);
  const added = { name: 'member.added', data: member('u2') };
  s = det.applyDetailEvent(s, added);
  const again = det.applyDetailEvent(s, added);
  assert.equal(again.members.length, 2);
  s = det.applyDetailEvent(s, { name: 'member.updated', data: { userId: 'u2', role: 'coordinator' } });
  assert.equal(s.members.find((m) => m.userId === 'u2').role, 'coordinator');
  assert.equal(s.members.find((m) => m.userId === 'u2').displayName, 'User u2');
  const removed = det.applyDetailEvent(s, { name: 'member.removed', data: { userId: 'u9' } });
  assert.equal(removed, s);
});

test('member events of another workspace are ignored', () => {
  const s = det.applyMembers(det.initialDetail('w1'), []);
  assert.equal(det.applyDetailEvent(s, { name: 'member.added', data: { ...member('u1'), workspaceId: 'w2' } }), s);
});

test('workspace events update the detail', () => {
  let s = det.applyWorkspace(det.initialDetail('w1'), ws());
  s = det.applyDetailEvent(s, { name: 'workspace.archived', data: ws({ archived: true, version: 2 }) });
  assert.equal(s.workspace.archived, true);
});

test('presence: unique users, others excludes self', () => {
  let s = det.initialDetail('w1');
  s = det.applyPresence(s, [{ id: 'me', displayName: 'Me' }, { id: 'a', displayName: 'A' }, { id: 'a', displayName: 'A' }, null]);
  assert.deepEqual(s.presence.map((u) => u.id), ['me', 'a']);
  assert.deepEqual(det.othersPresent(s, 'me').map((u) => u.id), ['a']);
});

test('members sort by role, then name', () => {
  const s = det.applyMembers(det.initialDetail('w1'), [
    member('1', { displayName: 'Zora', role: 'member' }),
    member('2', { displayName: 'Bea', role: 'observer' }),
    member('3', { displayName: 'Anton', role: 'member' }),
    member('4', { displayName: 'Yusuf', role: 'coordinator' }),
  ]);
  assert.deepEqual(det.sortedMembers(s).map((m) => m.displayName), ['Yusuf', 'Anton', 'Zora', 'Bea']);
});

test('announcements in German and English', () => {
  const de = (k, p) => translate('de', k, p);
  const en = (k, p) => translate('en', k, p);
  const created = { name: 'workspace.created', data: ws({ name: 'AG §78' }) };
  assert.equal(describeEvent(created, { workspaces: {} }, de), 'Arbeitsgruppe „AG §78“ wurde angelegt.');
  assert.equal(describeEvent(created, { workspaces: {} }, en), 'Working group “AG §78” was created.');
  assert.equal(describeEvent(created, { workspaces: { w1: ws() } }, de), null, 'known already: silent');
  const archived = { name: 'workspace.archived', data: ws({ version: 2 }) };
  assert.equal(describeEvent(archived, { workspaces: { w1: ws() } }, de), 'Arbeitsgruppe „TF“ wurde archiviert.');
  assert.equal(describeEvent(archived, { workspaces: { w1: ws({ version: 2 }) } }, de), null, 'stale: silent');
  assert.equal(describeEvent({ name: 'member.added', data: member('u1') }, null, de), 'User u1 ist jetzt Mitglied.');
  assert.equal(describeEvent({ name: 'policyField.updated', data: { nameDe: 'Armut', nameEn: 'Poverty' } }, null, en, 'en'), 'Policy field “Poverty” was changed.');
  assert.equal(describeEvent({ name: 'unknown' }, null, de), null);
});

test('the same member change twice (our own PUT, then its live event) changes nothing the second time', () => {
  let s = det.applyMembers(det.initialDetail('w1'), [member('u1')]);
  const change = { name: 'member.updated', data: { userId: 'u1', role: 'observer', organization: 'Caritas', workspaceId: 'w1' } };
  s = det.applyDetailEvent(s, change);
  assert.equal(s.members[0].role, 'observer');
  assert.equal(det.applyDetailEvent(s, change), s);
  assert.equal(det.applyDetailEvent(s, { name: 'member.updated', data: { userId: 'u1', role: 'observer' } }), s);
});
