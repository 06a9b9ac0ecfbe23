import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as lc from '../state/lean-coffee.js';

function snapshot(overrides = {}) {
  return {
    board: {
      id: 'b1', title: 'LC', phase: 'vote', talliesVisible: true, votesRevealed: false,
      settings: { timeboxMinutes: [8, 4, 2] }, discussion: null, version: 2,
    },
    topics: [
      { id: 't1', title: 'A', createdAt: '2026-01-01T10:00:00.000Z', status: 'open', dots: 1 },
      { id: 't2', title: 'B', createdAt: '2026-01-01T10:01:00.000Z', status: 'open', dots: 0 },
    ],
    takeaways: [],
    totalDots: 1,
    voters: 1,
    continueTally: null,
    me: { role: 'participant', participant: { kind: 'user', id: 'u1' }, dots: { t1: 1 }, dotsLeft: 2, continueVote: null },
    guests: 0,
    ...overrides,
  };
}

test('tallies are values: applying an event twice gives the same state', () => {
  const event = { name: 'leanCoffee.tallyChanged', data: { boardId: 'b1', topicId: 't2', dots: 3 } };
  const once = lc.applyEvent(snapshot(), event);
  const twice = lc.applyEvent(once, event);
  assert.equal(once.topics.find((t) => t.id === 't2').dots, 3);
  assert.deepEqual(twice, once);
  assert.equal(once.totalDots, 4);
});

test('hidden votes: progress only, then the reveal sets every count', () => {
  const hidden = snapshot({ board: { ...snapshot().board, talliesVisible: false }, topics: snapshot().topics.map(({ dots, ...t }) => t) });
  const progressed = lc.applyEvent(hidden, { name: 'leanCoffee.voteProgress', data: { dots: 5, voters: 3 } });
  assert.equal(progressed.totalDots, 5);
  assert.equal(progressed.topics[0].dots, undefined);
  const revealed = lc.applyEvent(progressed, { name: 'leanCoffee.votesRevealed', data: { tallies: [{ topicId: 't2', dots: 4 }, { topicId: 't1', dots: 1 }] } });
  assert.equal(revealed.board.talliesVisible, true);
  assert.deepEqual(revealed.topics.map((t) => t.dots), [1, 4]);
});

test('a new topic keeps counting from zero; an edit keeps the count; a withdrawal removes it', () => {
  let s = lc.applyEvent(snapshot(), { name: 'leanCoffee.topicAdded', data: { id: 't3', title: 'C', createdAt: '2026-01-01T10:02:00.000Z', status: 'open' } });
  assert.equal(s.topics.find((t) => t.id === 't3').dots, 0);
  s = lc.applyEvent(s, { name: 'leanCoffee.topicEdited', data: { id: 't1', title: 'A2', createdAt: '2026-01-01T10:00:00.000Z', status: 'open' } });
  assert.equal(s.topics.find((t) => t.id === 't1').dots, 1);
  assert.equal(s.topics.find((t) => t.id === 't1').title, 'A2');
  s = lc.applyEvent(s, { name: 'leanCoffee.topicWithdrawn', data: { id: 't2' } });
  assert.deepEqual(s.topics.map((t) => t.id), ['t1', 't3']);
});

test('discussion: started, continue tally, extension, finish', () => {
  let s = snapshot({ board: { ...snapshot().board, phase: 'discuss', discussion: { queue: ['t2', 't1'], current: 't2', timebox: 0, endsAt: 'x', canExtend: true } } });
  assert.deepEqual(lc.orderedTopics(s).map((t) => t.id), ['t2', 't1']);
  s = lc.applyEvent(s, { name: 'leanCoffee.continueTallyChanged', data: { tally: { topicId: 't2', timebox: 0, up: 2, sideways: 1, down: 0 } } });
  assert.equal(s.continueTally.up, 2);
  s = lc.applyEvent(s, { name: 'leanCoffee.timeboxExtended', data: { topicId: 't2', timebox: 1, endsAt: '2026-01-01T11:00:00.000Z' } });
  assert.equal(s.board.discussion.timebox, 1);
  assert.equal(s.board.discussion.canExtend, true);
  assert.equal(s.continueTally.up, 0);
  s = lc.applyEvent(s, { name: 'leanCoffee.topicFinished', data: { topicId: 't2' } });
  s = lc.applyEvent(s, { name: 'leanCoffee.topicStarted', data: { topicId: 't1', timebox: 0, endsAt: '2026-01-01T11:08:00.000Z' } });
  assert.equal(lc.currentTopic(s).id, 't1');
  assert.equal(s.topics.find((t) => t.id === 't2').status, 'discussed');
});

test('while voting, topics keep the order they were added in', () => {
  const s = snapshot({ topics: [...snapshot().topics].reverse() });
  assert.deepEqual(lc.orderedTopics(s).map((t) => t.id), ['t1', 't2']);
});

test('countdown to a stored end time', () => {
  const end = '2026-01-01T10:08:00.000Z';
  assert.deepEqual(lc.countdown(end, Date.parse('2026-01-01T10:00:00.000Z')), { seconds: 480, expired: false, label: '8:00' });
  assert.deepEqual(lc.countdown(end, Date.parse('2026-01-01T10:07:59.500Z')), { seconds: 1, expired: false, label: '0:01' });
  assert.deepEqual(lc.countdown(end, Date.parse('2026-01-01T10:09:00.000Z')), { seconds: 0, expired: true, label: '0:00' });
  assert.equal(lc.countdown(null, 0).seconds, null);
});

test('who may change a topic; phases a facilitator may move to', () => {
  const s = snapshot();
  assert.equal(lc.mayChangeTopic(s, { author: { kind: 'user', id: 'u1' } }), true);
  assert.equal(lc.mayChangeTopic(s, { author: { kind: 'guest', id: 'u1' } }), false);
  assert.equal(lc.mayChangeTopic(s, { author: null }), false);
  assert.equal(lc.mayChangeTopic({ ...s, me: { ...s.me, role: 'lead' } }, { author: null }), true);
  assert.deepEqual(lc.nextPhases('vote'), ['collect', 'discuss', 'closed']);
  assert.deepEqual(lc.nextPhases('closed'), []);
});
