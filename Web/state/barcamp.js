// Barcamp state: the snapshot (GET /api/v1/barcamps/<id>) and the reducer for the live events
// of `barcamp:<id>`, plus the grid helpers the views use. Interest arrives as counts (values).

export function applyEvent(state, event) {
  if (!state || !event || !event.data) return state;
  const d = event.data;
  switch (event.name) {
    case 'barcamp.updated':
    case 'barcamp.schedulePublished':
    case 'barcamp.closed':
      return { ...state, barcamp: d };
    case 'barcamp.sessionProposed':
    case 'barcamp.sessionEdited': {
      const old = state.sessions.find((s) => s.id === d.id);
      const session = { ...d, interest: d.interest ?? old?.interest ?? 0 };
      const sessions = old ? state.sessions.map((s) => (s.id === d.id ? session : s)) : [...state.sessions, session];
      return { ...state, sessions };
    }
    case 'barcamp.sessionWithdrawn':
      return { ...state, sessions: state.sessions.filter((s) => s.id !== d.id) };
    case 'barcamp.interestChanged':
      return { ...state, sessions: state.sessions.map((s) => (s.id === d.sessionId ? { ...s, interest: d.interest } : s)) };
    case 'barcamp.gridChanged':
      return { ...state, barcamp: { ...state.barcamp, grid: d.grid, version: d.version } };
    case 'barcamp.notesSaved': {
      const notes = state.notes.filter((n) => n.sessionId !== d.sessionId);
      return { ...state, notes: [...notes, d] };
    }
    default:
      return state;
  }
}

/** The session slots (not the common blocks), in time order. */
export function sessionSlots(barcamp) {
  return barcamp.slots.filter((s) => s.kind === 'sessions');
}

/** The assignment in a cell, or null. */
export function occupant(barcamp, roomId, slotId) {
  return barcamp.grid.find((a) => a.roomId === roomId && a.slotId === slotId) ?? null;
}

/** Where a session is placed, or null. */
export function placement(barcamp, sessionId) {
  return barcamp.grid.find((a) => a.sessionId === sessionId) ?? null;
}

/** Sessions not in the grid, most interest first. */
export function unplaced(state) {
  const placed = new Set(state.barcamp.grid.map((a) => a.sessionId));
  return state.sessions.filter((s) => !placed.has(s.id)).sort((a, b) => (b.interest ?? 0) - (a.interest ?? 0) || a.title.localeCompare(b.title));
}

/**
 * The grid request for putting `sessionId` into a cell (or out of the grid with a null cell):
 * assign when it is not placed, move (swapping with an occupant) when it is.
 */
export function gridRequest(barcamp, sessionId, cell) {
  const placed = placement(barcamp, sessionId);
  if (!cell) return placed ? { action: 'unassign', body: { sessionId } } : null;
  if (placed && placed.roomId === cell.roomId && placed.slotId === cell.slotId) return null;
  const other = occupant(barcamp, cell.roomId, cell.slotId);
  if (!placed) return other ? null : { action: 'assign', body: { sessionId, roomId: cell.roomId, slotId: cell.slotId } };
  return { action: 'move', body: { sessionId, roomId: cell.roomId, slotId: cell.slotId, swap: Boolean(other) } };
}

export function isMarked(state, sessionId) {
  return (state.me?.marks ?? []).includes(sessionId);
}

export function guestKey(barcampId) {
  return `roundtable.guest.barcamp.${barcampId}`;
}

/** Rooms and slots for a new barcamp: `rooms` rooms, `rounds` session slots of `minutes` from `start`, a pause after the first. */
export function layout({ rooms, rounds, minutes = 45, pause = 15, start, uuid = () => crypto.randomUUID(), roomName = (i) => `Raum ${i}`,
  roundName = (i) => `Runde ${i}`, pauseName = 'Pause' }) {
  const roomList = Array.from({ length: rooms }, (_, i) => ({ id: uuid(), name: roomName(i + 1), capacity: 30 }));
  const slots = [];
  let t = new Date(start).getTime();
  for (let i = 0; i < rounds; i++) {
    slots.push({ id: uuid(), kind: 'sessions', title: roundName(i + 1), startsAt: new Date(t).toISOString(), endsAt: new Date(t + minutes * 60000).toISOString() });
    t += minutes * 60000;
    if (i === 0 && rounds > 1) {
      slots.push({ id: uuid(), kind: 'pause', title: pauseName, startsAt: new Date(t).toISOString(), endsAt: new Date(t + pause * 60000).toISOString() });
      t += pause * 60000;
    }
  }
  return { rooms: roomList, slots };
}

/**
 * A proposal's assignments as rows for reading: {slot, room, sessionId, pinned}, in the order
 * of the slots' start, then the rooms' order; assignments to unknown rooms or slots are left out.
 */
export function proposalRows(barcamp, assignments) {
  const slots = new Map((barcamp.slots ?? []).map((s, i) => [s.id, { s, i }]));
  const rooms = new Map((barcamp.rooms ?? []).map((r, i) => [r.id, { r, i }]));
  return assignments
    .filter((a) => slots.has(a.slotId) && rooms.has(a.roomId))
    .map((a) => ({ slot: slots.get(a.slotId).s, room: rooms.get(a.roomId).r, sessionId: a.sessionId, pinned: Boolean(a.pinned),
      order: [String(slots.get(a.slotId).s.startsAt), slots.get(a.slotId).i, rooms.get(a.roomId).i] }))
    .sort((x, y) => x.order[0].localeCompare(y.order[0]) || x.order[1] - y.order[1] || x.order[2] - y.order[2])
    .map(({ order, ...row }) => row);
}
