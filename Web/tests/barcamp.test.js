import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as bc from '../state/barcamp.js';

const R1 = 'r1';
const R2 = 'r2';
const S1 = 's1';
function state() {
  return {
    barcamp: {
      id: 'b', version: 3, status: 'planning',
      rooms: [{ id: R1, name: 'Saal', capacity: 80 }, { id: R2, name: 'Raum 2', capacity: 20 }],
      slots: [{ id: S1, kind: 'sessions' }, { id: 'p', kind: 'pause' }, { id: 's2', kind: 'sessions' }],
      grid: [{ sessionId: 'a', roomId: R1, slotId: S1, pinned: true }],
    },
    sessions: [{ id: 'a', title: 'A', interest: 2 }, { id: 'b', title: 'B', interest: 5 }, { id: 'c', title: 'C', interest: 1 }],
    notes: [],
    me: { marks: ['b'] },
  };
}

test('interest counts are values; the grid event replaces grid and version', () => {
  const e = { name: 'barcamp.interestChanged', data: { sessionId: 'c', interest: 4 } };
  const once = bc.applyEvent(state(), e);
  assert.deepEqual(bc.applyEvent(once, e), once);
  assert.equal(once.sessions.find((s) => s.id === 'c').interest, 4);
  const moved = bc.applyEvent(once, { name: 'barcamp.gridChanged', data: { version: 4, grid: [] } });
  assert.equal(moved.barcamp.version, 4);
  assert.deepEqual(moved.barcamp.grid, []);
});

test('grid requests: assign into a free cell, move with swap onto an occupied one, unassign, nothing for the same cell', () => {
  const s = state();
  assert.deepEqual(bc.gridRequest(s.barcamp, 'b', { roomId: R2, slotId: S1 }), { action: 'assign', body: { sessionId: 'b', roomId: R2, slotId: S1 } });
  assert.equal(bc.gridRequest(s.barcamp, 'b', { roomId: R1, slotId: S1 }), null, 'an unplaced session cannot take an occupied cell');
  assert.deepEqual(bc.gridRequest(s.barcamp, 'a', { roomId: R2, slotId: 's2' }).action, 'move');
  assert.equal(bc.gridRequest(s.barcamp, 'a', { roomId: R1, slotId: S1 }), null);
  assert.deepEqual(bc.gridRequest(s.barcamp, 'a', null), { action: 'unassign', body: { sessionId: 'a' } });
  assert.equal(bc.gridRequest(s.barcamp, 'b', null), null);
});

test('unplaced sessions by interest; session slots without common blocks; my marks', () => {
  const s = state();
  assert.deepEqual(bc.unplaced(s).map((x) => x.id), ['b', 'c']);
  assert.deepEqual(bc.sessionSlots(s.barcamp).map((x) => x.id), [S1, 's2']);
  assert.equal(bc.isMarked(s, 'b'), true);
  assert.equal(bc.isMarked(s, 'a'), false);
});

test('layout: rooms and rounds with a pause after the first round', () => {
  let n = 0;
  const { rooms, slots } = bc.layout({ rooms: 2, rounds: 3, start: '2026-06-01T08:00:00.000Z', uuid: () => `id${n++}` });
  assert.equal(rooms.length, 2);
  assert.deepEqual(slots.map((x) => x.kind), ['sessions', 'pause', 'sessions', 'sessions']);
  assert.equal(slots[1].startsAt, '2026-06-01T08:45:00.000Z');
  assert.equal(slots[2].startsAt, '2026-06-01T09:00:00.000Z');
});

test('proposalRows: the proposal in slot then room order, unknown places left out', async () => {
  const { proposalRows } = await import('../state/barcamp.js');
  const barcamp = {
    rooms: [{ id: 'r1', name: 'Saal' }, { id: 'r2', name: 'Raum 2' }],
    slots: [{ id: 's2', title: 'Runde 2', startsAt: '2026-06-01T10:00:00Z' }, { id: 's1', title: 'Runde 1', startsAt: '2026-06-01T09:00:00Z' }],
  };
  const rows = proposalRows(barcamp, [
    { sessionId: 'c', roomId: 'r1', slotId: 's2', pinned: false },
    { sessionId: 'b', roomId: 'r2', slotId: 's1', pinned: true },
    { sessionId: 'a', roomId: 'r1', slotId: 's1', pinned: false },
    { sessionId: 'x', roomId: 'gone', slotId: 's1', pinned: false },
  ]);
  assert.deepEqual(rows.map((r) => [r.slot.title, r.room.name, r.sessionId, r.pinned]), [
    ['Runde 1', 'Saal', 'a', false], ['Runde 1', 'Raum 2', 'b', true], ['Runde 2', 'Saal', 'c', false],
  ]);
});
