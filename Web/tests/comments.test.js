import test from 'node:test';
import assert from 'node:assert/strict';
import * as cm from '../state/comments.js';
import { oldText, newText } from '../lib/diff.js';

const c = (id, extra = {}) => ({ id, recommendationId: 'r1', section: 'goals', kind: 'comment', authorId: 'u1', state: 'open', createdAt: `2026-01-0${id}T10:00:00Z`, ...extra });

test('upsert keeps one per id, oldest first', () => {
  let list = cm.upsertComment([], c('2'));
  list = cm.upsertComment(list, c('1'));
  list = cm.upsertComment(list, c('2', { state: 'resolved' }));
  assert.deepEqual(list.map((x) => `${x.id}:${x.state}`), ['1:open', '2:resolved']);
});

test('events of other recommendations are ignored', () => {
  const list = [c('1')];
  assert.equal(cm.applyCommentEvent(list, { name: 'recommendation.commentChanged', data: c('3', { recommendationId: 'r2' }) }, 'r1'), list);
  assert.equal(cm.applyCommentEvent(list, { name: 'recommendation.updated', data: c('3') }, 'r1'), list);
  assert.equal(cm.applyCommentEvent(list, { name: 'recommendation.commentChanged', data: c('3') }, 'r1').length, 2);
});

test('open comments by section', () => {
  const list = [c('1'), c('2', { state: 'resolved' }), c('3', { section: null }), c('4', { section: 'title' })];
  assert.deepEqual(cm.openFor(list, 'goals').map((x) => x.id), ['1']);
  assert.deepEqual(cm.openFor(list, null).map((x) => x.id), ['3']);
});

test('who may resolve and decide', () => {
  assert.equal(cm.canResolve(c('1'), { selfId: 'u1', lead: false }), true);
  assert.equal(cm.canResolve(c('1'), { selfId: 'u2', lead: false }), false);
  assert.equal(cm.canResolve(c('1'), { selfId: 'u2', lead: true }), true);
  assert.equal(cm.canResolve(c('1', { kind: 'suggestion' }), { selfId: 'u1', lead: true }), false);
  assert.equal(cm.canDecide(c('1', { kind: 'suggestion' }), { lead: true }), true);
  assert.equal(cm.canDecide(c('1', { kind: 'suggestion' }), { lead: false }), false);
});

test('comment payload', () => {
  assert.deepEqual(cm.commentPayload({ section: 'goals', body: ' Hallo ' }, 3), { body: { body: 'Hallo', baseRevision: 3, section: 'goals' }, issues: [] });
  assert.equal(cm.commentPayload({ body: '  ' }, 3).issues[0].code, 'required');
  assert.deepEqual(cm.commentPayload({ section: 'goals', body: '', suggestion: 'Neu' }, 2).body, { body: '', baseRevision: 2, section: 'goals', suggestion: 'Neu' });
});

test('word diff reproduces both texts', () => {
  const before = 'Die Kinder lernen früh Deutsch.\n\nZweiter Absatz.';
  const after = 'Alle Kinder lernen sehr früh Deutsch.\n\nZweiter Absatz bleibt.';
  const runs = cm.wordDiff(before, after);
  assert.equal(oldText(runs), before);
  assert.equal(newText(runs), after);
  assert.ok(runs.some((r) => r.op === 'insert' && r.text.includes('sehr')));
  assert.ok(runs.some((r) => r.op === 'delete' && r.text.includes('Die')));
  assert.deepEqual(cm.wordDiff('gleich', 'gleich'), [{ op: 'equal', text: 'gleich' }]);
  assert.deepEqual(cm.wordDiff('', 'neu'), [{ op: 'insert', text: 'neu' }]);
  assert.equal(cm.wordDiff('a b c d', 'e f g h', { limit: 2 }), null);
});
