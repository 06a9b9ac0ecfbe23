// Lean Coffee board state: the snapshot the API answers (GET /api/v1/lean-coffee/<id>) and
// the pure reducer that applies the board topic's live events to it. Tallies arrive as
// values (never increments), so applying an event twice leaves the same state; the
// requester's own dots come only with HTTP answers (events never say who voted).

export const PHASES = ['collect', 'vote', 'discuss', 'closed'];

/** Phases a facilitator may move to from `phase` (the server checks again). */
export function nextPhases(phase) {
  switch (phase) {
    case 'collect': return ['vote', 'closed'];
    case 'vote': return ['collect', 'discuss', 'closed'];
    case 'discuss': return ['closed'];
    default: return [];
  }
}

function upsert(list, item, key = 'id') {
  const index = list.findIndex((x) => x[key] === item[key]);
  if (index === -1) return [...list, item];
  const next = list.slice();
  next[index] = item;
  return next;
}

function withDiscussion(board, change) {
  const discussion = { ...(board.discussion ?? { queue: [], current: null, timebox: 0, startedAt: null, endsAt: null, canExtend: false }), ...change };
  return { ...board, discussion };
}

/** Applies one event of the board's topic; returns the same object when nothing changed. */
export function applyEvent(state, event) {
  if (!state || !event || !event.data) return state;
  const data = event.data;
  switch (event.name) {
    case 'leanCoffee.boardUpdated':
      return { ...state, board: data };
    case 'leanCoffee.phaseChanged':
      return { ...state, board: data.board, continueTally: data.board.phase === 'discuss' ? state.continueTally : null };
    case 'leanCoffee.boardClosed':
      return { ...state, board: data.board };
    case 'leanCoffee.topicAdded':
    case 'leanCoffee.topicEdited': {
      const old = state.topics.find((x) => x.id === data.id);
      const topic = { ...data };
      if (old && old.dots !== undefined && topic.dots === undefined) topic.dots = old.dots;
      if (!old && state.board.talliesVisible && topic.dots === undefined) topic.dots = 0;
      return { ...state, topics: upsert(state.topics, topic) };
    }
    case 'leanCoffee.topicWithdrawn':
      return { ...state, topics: state.topics.filter((x) => x.id !== data.id) };
    case 'leanCoffee.tallyChanged': {
      const topics = state.topics.map((x) => (x.id === data.topicId ? { ...x, dots: data.dots } : x));
      const total = topics.reduce((sum, x) => sum + (x.dots ?? 0), 0);
      return { ...state, topics, totalDots: state.board.talliesVisible ? total : state.totalDots };
    }
    case 'leanCoffee.voteProgress':
      return { ...state, totalDots: data.dots, voters: data.voters };
    case 'leanCoffee.votesRevealed': {
      const counts = new Map(data.tallies.map((x) => [x.topicId, x.dots]));
      return {
        ...state,
        board: { ...state.board, votesRevealed: true, talliesVisible: true },
        topics: state.topics.map((x) => ({ ...x, dots: counts.get(x.id) ?? 0 })),
      };
    }
    case 'leanCoffee.topicStarted':
      return {
        ...state,
        board: withDiscussion(state.board, { current: data.topicId, timebox: data.timebox, endsAt: data.endsAt }),
        topics: state.topics.map((x) => (x.id === data.topicId ? { ...x, status: 'discussing' } : x)),
        continueTally: { topicId: data.topicId, timebox: data.timebox, up: 0, sideways: 0, down: 0 },
        me: { ...state.me, continueVote: null },
      };
    case 'leanCoffee.continueTallyChanged':
      return { ...state, continueTally: data.tally };
    case 'leanCoffee.timeboxExtended': {
      const board = withDiscussion(state.board, { timebox: data.timebox, endsAt: data.endsAt });
      const extensions = board.settings ? board.settings.timeboxMinutes.length : 0;
      board.discussion.canExtend = data.timebox + 1 < extensions;
      return {
        ...state,
        board,
        topics: state.topics.map((x) => (x.id === data.topicId ? { ...x, extensions: (x.extensions ?? 0) + 1 } : x)),
        continueTally: { topicId: data.topicId, timebox: data.timebox, up: 0, sideways: 0, down: 0 },
        me: { ...state.me, continueVote: null },
      };
    }
    case 'leanCoffee.topicFinished':
      return { ...state, topics: state.topics.map((x) => (x.id === data.topicId ? { ...x, status: 'discussed' } : x)) };
    case 'leanCoffee.allTopicsDiscussed':
      return { ...state, board: withDiscussion(state.board, { current: null, endsAt: null, canExtend: false }) };
    case 'leanCoffee.takeawayAdded':
    case 'leanCoffee.takeawayEdited':
      return { ...state, takeaways: upsert(state.takeaways, data) };
    case 'leanCoffee.takeawayRemoved':
      return { ...state, takeaways: state.takeaways.filter((x) => x.id !== data.takeawayId) };
    case 'leanCoffee.guestJoined':
      return { ...state, guests: (state.guests ?? 0) + 1 };
    default:
      return state;
  }
}

/**
 * Topics in the order people should see them: while collecting and voting in the order
 * they were added (so the list does not jump while people vote); from the discussion on in
 * the discussion queue, then any not in it.
 */
export function orderedTopics(state) {
  const topics = state.topics.slice();
  const queue = state.board.discussion?.queue ?? [];
  if ((state.board.phase === 'discuss' || state.board.phase === 'closed') && queue.length) {
    const rank = new Map(queue.map((id, i) => [id, i]));
    return topics.sort((a, b) => (rank.get(a.id) ?? 1e9) - (rank.get(b.id) ?? 1e9) || cmpCreated(a, b));
  }
  return topics.sort(cmpCreated);
}

function cmpCreated(a, b) {
  return String(a.createdAt).localeCompare(String(b.createdAt)) || String(a.id).localeCompare(String(b.id));
}

/** The topic being discussed, or null. */
export function currentTopic(state) {
  const id = state.board.discussion?.current;
  return id ? state.topics.find((x) => x.id === id) ?? null : null;
}

/** Seconds left until `endsAt` at `nowMs` (never negative), and whether it has passed. */
export function countdown(endsAt, nowMs) {
  if (!endsAt) return { seconds: null, expired: false, label: '' };
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return { seconds: null, expired: false, label: '' };
  const seconds = Math.max(0, Math.ceil((end - nowMs) / 1000));
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return { seconds, expired: nowMs >= end, label: `${m}:${String(s).padStart(2, '0')}` };
}

/** My dots on a topic (from the last HTTP answer). */
export function myDots(state, topicId) {
  return state.me?.dots?.[topicId] ?? 0;
}

/** Whether the requester wrote this topic (author shown) or leads the board. */
export function mayChangeTopic(state, topic) {
  if (state.me?.role === 'lead') return true;
  const me = state.me?.participant;
  return Boolean(me && topic.author && topic.author.id === me.id && topic.author.kind === me.kind);
}

export function mayTakePart(state) {
  return ['guest', 'participant', 'lead'].includes(state.me?.role);
}

/** The takeaways of one topic, oldest first. */
export function takeawaysOf(state, topicId) {
  return state.takeaways.filter((x) => x.topicId === topicId);
}

/** Where a guest keeps the token of one board (localStorage key). */
export function guestKey(boardId) {
  return `roundtable.guest.${boardId}`;
}

/** A fresh idempotency key for one click. */
export function newKey(random = () => Math.random()) {
  if (globalThis.crypto && typeof globalThis.crypto.randomUUID === 'function') return globalThis.crypto.randomUUID();
  return `k-${Date.now().toString(36)}-${Math.floor(random() * 1e12).toString(36)}`;
}
