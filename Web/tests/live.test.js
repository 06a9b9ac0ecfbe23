import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveClient, classifyEvent, backoffDelay, socketUrl, subscribeMessage } from '../lib/live.js';

// ---- a fake WebSocket and a manual clock ----

class FakeSocket {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closed = null;
    FakeSocket.instances.push(this);
  }
  send(text) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(text));
  }
  close(code, reason) {
    this.readyState = 3;
    this.closed = { code, reason };
  }
  // test side
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  serverClose(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  sentOfType(type) {
    return this.sent.filter((m) => m.type === type);
  }
}

function clock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  return {
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { fn, at: now + ms });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
    pending() {
      return [...timers.values()].map((t) => t.at - now);
    },
  };
}

function setup(opts = {}) {
  FakeSocket.instances = [];
  const c = clock();
  const client = new LiveClient({
    url: 'ws://hub/ws',
    WebSocket: FakeSocket,
    random: () => 0.5,
    setTimeout: c.setTimeout,
    clearTimeout: c.clearTimeout,
    heartbeatMs: 25000,
    livenessMs: 10000,
    ...opts,
  });
  const events = [];
  const statuses = [];
  client.addEventListener('event', (e) => events.push(e.detail));
  client.addEventListener('status', (e) => statuses.push(e.detail.status));
  return { client, clock: c, events, statuses, socket: () => FakeSocket.instances.at(-1), sockets: FakeSocket.instances };
}

const EPOCH = '6f1c1d1e-0000-4000-8000-000000000001';
const ev = (seq, extra = {}) => ({ type: 'event', topic: 'directory', epoch: EPOCH, seq, name: 'workspace.created', at: '2025-01-01T00:00:00Z', data: { id: `w${seq}`, version: 1 }, ...extra });
const flush = () => new Promise((r) => setImmediate(r));

// ---- pure helpers ----

test('classifyEvent: apply, duplicate, gap, epoch', () => {
  const cursor = { epoch: EPOCH, seq: 5 };
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 6 }), 'apply');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 5 }), 'duplicate');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 1 }), 'duplicate');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 8 }), 'gap');
  assert.equal(classifyEvent(cursor, { epoch: 'other', seq: 6 }), 'epoch');
  assert.equal(classifyEvent(null, { epoch: EPOCH, seq: 99 }), 'apply');
});

test('classifyEvent: a conflated event (prev) applies when the cursor holds prev, else it is a gap', () => {
  const cursor = { epoch: EPOCH, seq: 5 };
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 9, prev: 5 }), 'apply', '6–8 were superseded values');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 9, prev: 3 }), 'apply', 'the client holds more than prev');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 9, prev: 6 }), 'gap', 'event 6 was sent and is missing');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 5, prev: 2 }), 'duplicate');
  assert.equal(classifyEvent(cursor, { epoch: EPOCH, seq: 7, prev: null }), 'gap', 'prev absent or not a number: seq - 1');
});

test('backoffDelay grows exponentially, has jitter and is capped at 10 s', () => {
  assert.equal(backoffDelay(0, () => 0), 250);
  assert.equal(backoffDelay(0, () => 1), 500);
  assert.equal(backoffDelay(1, () => 1), 1000);
  assert.equal(backoffDelay(3, () => 1), 4000);
  assert.equal(backoffDelay(10, () => 1), 10000);
  assert.equal(backoffDelay(50, () => 1), 10000);
  assert.equal(backoffDelay(50, () => 0), 5000);
  const a = backoffDelay(4, () => 0.1);
  const b = backoffDelay(4, () => 0.9);
  assert.notEqual(a, b);
});

test('socketUrl follows the page protocol', () => {
  assert.equal(socketUrl({ protocol: 'http:', host: 'a:8080' }), 'ws://a:8080/ws');
  assert.equal(socketUrl({ protocol: 'https:', host: 'hub.example' }), 'wss://hub.example/ws');
});

test('subscribeMessage carries the cursor only when there is one', () => {
  assert.deepEqual(subscribeMessage('directory', null, 'c1'), { type: 'subscribe', topic: 'directory', id: 'c1' });
  assert.deepEqual(subscribeMessage('directory', { epoch: EPOCH, seq: 0 }), { type: 'subscribe', topic: 'directory', seq: 0, epoch: EPOCH });
});

// ---- the client ----

test('subscribes with the snapshot cursor once open and delivers events in order', () => {
  const { client, socket, events, statuses } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 3 } });
  assert.equal(socket().sent.length, 0, 'nothing sent before open');
  socket().open();
  assert.deepEqual(socket().sentOfType('subscribe').map(({ topic, epoch, seq }) => ({ topic, epoch, seq })), [{ topic: 'directory', epoch: EPOCH, seq: 3 }]);
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: { id: 'u', displayName: 'U' } });
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 5, recovered: true, replayed: 2 });
  socket().receive(ev(4));
  socket().receive(ev(5));
  assert.deepEqual(events.map((e) => e.seq), [4, 5]);
  assert.deepEqual(client.cursor('directory'), { epoch: EPOCH, seq: 5 });
  assert.deepEqual(statuses, ['connecting', 'open']);
});

test('events at or below the cursor are ignored (no duplicates)', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 3 } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 3, recovered: true, replayed: 0 });
  socket().receive(ev(2));
  socket().receive(ev(3));
  socket().receive(ev(4));
  socket().receive(ev(4));
  assert.deepEqual(events.map((e) => e.seq), [4]);
});

test('batch frames are unpacked in order and deduplicated', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 1 } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 1, recovered: true, replayed: 0 });
  socket().receive({ type: 'batch', events: [ev(1), ev(2), ev(3)].map(({ type, ...rest }) => ({ type, ...rest })) });
  socket().receive({ type: 'batch', events: [ev(3), ev(4)] });
  assert.deepEqual(events.map((e) => e.seq), [2, 3, 4]);
});

test('a subscription without cursor takes the head from subscribed', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('workspace:w1');
  socket().open();
  assert.equal(socket().sent[0].seq, undefined);
  socket().receive({ type: 'subscribed', topic: 'workspace:w1', epoch: EPOCH, seq: 7, recovered: false, replayed: 0 });
  assert.deepEqual(client.cursor('workspace:w1'), { epoch: EPOCH, seq: 7 });
  socket().receive(ev(8, { topic: 'workspace:w1' }));
  assert.equal(events.length, 1);
});

test('reconnects with backoff and resumes from the last seq; replay is not duplicated', () => {
  const { client, socket, sockets, events, clock: c, statuses } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 0 } });
  socket().open();
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: null });
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 0, recovered: true, replayed: 0 });
  socket().receive(ev(1));
  socket().receive(ev(2));
  socket().serverClose(1006);
  assert.equal(client.status, 'reconnecting');
  assert.equal(sockets.length, 1);
  c.advance(374);
  assert.equal(sockets.length, 1, 'waits for the backoff');
  c.advance(1);
  assert.equal(sockets.length, 2, 'reconnected after base*0.75 with random 0.5');
  socket().open();
  const sub = socket().sentOfType('subscribe')[0];
  assert.equal(sub.seq, 2);
  assert.equal(sub.epoch, EPOCH);
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: null });
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 4, recovered: true, replayed: 2 });
  socket().receive({ type: 'batch', events: [ev(2), ev(3), ev(4)] });
  assert.deepEqual(events.map((e) => e.seq), [1, 2, 3, 4]);
  assert.deepEqual(statuses, ['connecting', 'open', 'reconnecting', 'open']);
});

test('backoff doubles on repeated failures, is capped, and resets after hello', () => {
  const { client, socket, sockets, clock: c } = setup({ random: () => 1 });
  client.start();
  const delays = [];
  for (let i = 0; i < 7; i += 1) {
    socket().serverClose(1006);
    delays.push(Math.max(...c.pending()));
    c.advance(delays.at(-1));
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 10000, 10000]);
  socket().open();
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: null });
  socket().serverClose(1006);
  assert.equal(Math.min(...c.pending()), 500);
  assert.equal(sockets.length, 8);
});

test('recovered:false reloads the snapshot, then subscribes with its cursor', async () => {
  const { client, socket, events } = setup();
  let reloads = 0;
  client.start();
  client.subscribe('directory', {
    cursor: { epoch: 'old-epoch', seq: 40 },
    reload: async () => {
      reloads += 1;
      return { epoch: EPOCH, seq: 12 };
    },
  });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 12, recovered: false, replayed: 0 });
  // live events that arrive while reloading are dropped: the snapshot plus replay covers them
  socket().receive(ev(13));
  await flush();
  assert.equal(reloads, 1);
  const subs = socket().sentOfType('subscribe');
  assert.equal(subs.length, 2);
  assert.equal(subs[1].seq, 12);
  assert.equal(subs[1].epoch, EPOCH);
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 13, recovered: true, replayed: 1 });
  socket().receive(ev(13));
  assert.deepEqual(events.map((e) => e.seq), [13]);
});

test('recovered:false on a cursor-less subscription does not reload', async () => {
  const { client, socket } = setup();
  let reloads = 0;
  client.start();
  client.subscribe('workspace:w1', { reload: async () => { reloads += 1; return null; } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'workspace:w1', epoch: EPOCH, seq: 3, recovered: false, replayed: 0 });
  await flush();
  assert.equal(reloads, 0);
});

test('a failed reload is retried', async () => {
  const { client, socket, clock: c } = setup({ reloadRetryMs: 1000 });
  let calls = 0;
  client.start();
  client.subscribe('directory', {
    cursor: { epoch: EPOCH, seq: 1 },
    reload: async () => {
      calls += 1;
      if (calls === 1) throw new Error('offline');
      return { epoch: EPOCH, seq: 9 };
    },
  });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 9, recovered: false, replayed: 0 });
  await flush();
  assert.equal(calls, 1);
  c.advance(1000);
  await flush();
  assert.equal(calls, 2);
  assert.equal(socket().sentOfType('subscribe').at(-1).seq, 9);
});

test('resync re-subscribes from the last delivered seq', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 0 } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 0, recovered: true, replayed: 0 });
  socket().receive(ev(1));
  socket().receive({ type: 'resync', topic: 'directory', seq: 1 });
  const sub = socket().sentOfType('subscribe').at(-1);
  assert.equal(sub.seq, 1);
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 3, recovered: true, replayed: 2 });
  socket().receive(ev(2));
  socket().receive(ev(3));
  assert.deepEqual(events.map((e) => e.seq), [1, 2, 3]);
});

test('an event from another epoch triggers a reload', async () => {
  const { client, socket } = setup();
  let reloads = 0;
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 2 }, reload: async () => { reloads += 1; return { epoch: 'new', seq: 0 }; } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 2, recovered: true, replayed: 0 });
  socket().receive(ev(3, { epoch: 'new' }));
  await flush();
  assert.equal(reloads, 1);
  assert.equal(socket().sentOfType('subscribe').at(-1).epoch, 'new');
});

test('a gap asks the server to replay from the cursor', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 1 } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 1, recovered: true, replayed: 0 });
  socket().receive(ev(3));
  assert.equal(events.length, 0);
  assert.equal(socket().sentOfType('subscribe').at(-1).seq, 1);
});

test('conflated tallies: an event with prev covered by the cursor is applied, one beyond it asks for a replay', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 4 } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 4, recovered: true, replayed: 0 });
  socket().receive(ev(5));
  socket().receive(ev(9, { prev: 5 }));
  socket().receive(ev(10));
  assert.deepEqual(events.map((e) => e.seq), [5, 9, 10]);
  assert.equal(events[1].prev, 5);
  assert.deepEqual(client.cursor('directory'), { epoch: EPOCH, seq: 10 });
  const subscribes = socket().sentOfType('subscribe').length;
  socket().receive(ev(14, { prev: 12 }));
  assert.equal(events.length, 3, '11 and 12 were sent and are missing');
  assert.equal(socket().sentOfType('subscribe').length, subscribes + 1);
  assert.equal(socket().sentOfType('subscribe').at(-1).seq, 10);
});

test('presence and errors are dispatched; forbidden topics are dropped', () => {
  const { client, socket } = setup();
  const presence = [];
  const errors = [];
  client.addEventListener('presence', (e) => presence.push(e.detail));
  client.addEventListener('liveerror', (e) => errors.push(e.detail));
  client.start();
  client.subscribe('workspace:w1');
  socket().open();
  socket().receive({ type: 'presence', topic: 'workspace:w1', users: [{ id: 'a', displayName: 'A' }], count: 140 });
  socket().receive({ type: 'presence', topic: 'workspace:w1', users: [{ id: 'a', displayName: 'A' }] });
  socket().receive({ type: 'error', code: 'subscription.forbidden', message: 'no', topic: 'workspace:w1' });
  // `count` says how many people follow the topic when the list is cut at 100; older servers
  // sent no count: then it is the list's length.
  assert.deepEqual(presence, [{ topic: 'workspace:w1', users: [{ id: 'a', displayName: 'A' }], count: 140 },
    { topic: 'workspace:w1', users: [{ id: 'a', displayName: 'A' }], count: 1 }]);
  assert.equal(errors[0].code, 'subscription.forbidden');
  assert.deepEqual(client.topics, []);
});

test('unsubscribe sends unsubscribe and stops delivery', () => {
  const { client, socket, events } = setup();
  client.start();
  client.subscribe('workspace:w1');
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'workspace:w1', epoch: EPOCH, seq: 0, recovered: true, replayed: 0 });
  client.unsubscribe('workspace:w1');
  assert.equal(socket().sentOfType('unsubscribe')[0].topic, 'workspace:w1');
  socket().receive(ev(1, { topic: 'workspace:w1' }));
  assert.equal(events.length, 0);
});

test('heartbeat: a ping without answer closes and reconnects', () => {
  const { client, socket, sockets, clock: c } = setup();
  client.start();
  socket().open();
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: null });
  c.advance(25000);
  assert.equal(socket().sentOfType('ping').length, 1);
  c.advance(10000);
  assert.equal(sockets[0].closed.code, 4001);
  assert.equal(client.status, 'reconnecting');
});

test('heartbeat: an answer keeps the connection', () => {
  const { client, socket, clock: c } = setup();
  client.start();
  socket().open();
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: null });
  c.advance(25000);
  socket().receive({ type: 'pong', id: 'c1' });
  c.advance(10000);
  assert.equal(socket().closed, null);
  assert.equal(client.status, 'open');
});

test('dropForTest with hold waits for resumeForTest, then resumes from the cursor', () => {
  const { client, socket, sockets, clock: c, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 5 } });
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 5, recovered: true, replayed: 0 });
  client.dropForTest({ hold: true });
  assert.equal(client.status, 'reconnecting');
  c.advance(60000);
  assert.equal(sockets.length, 1);
  client.resumeForTest();
  assert.equal(sockets.length, 2);
  socket().open();
  assert.equal(socket().sentOfType('subscribe')[0].seq, 5);
  socket().receive({ type: 'subscribed', topic: 'directory', epoch: EPOCH, seq: 6, recovered: true, replayed: 1 });
  socket().receive(ev(6));
  assert.deepEqual(events.map((e) => e.seq), [6]);
});

test('messages from a replaced socket are ignored', () => {
  const { client, sockets, events } = setup();
  client.start();
  client.subscribe('directory', { cursor: { epoch: EPOCH, seq: 0 } });
  const first = sockets[0];
  first.open();
  client.dropForTest();
  first.receive(ev(1));
  assert.equal(events.length, 0);
});

test('stop closes the socket and does not reconnect', () => {
  const { client, socket, sockets, clock: c, statuses } = setup();
  client.start();
  socket().open();
  client.stop();
  assert.equal(sockets[0].closed.code, 1000);
  c.advance(60000);
  assert.equal(sockets.length, 1);
  assert.equal(statuses.at(-1), 'closed');
});

test('the online event reconnects at once', () => {
  const online = new EventTarget();
  const { client, socket, sockets } = setup({ onlineTarget: online });
  client.start();
  socket().open();
  socket().serverClose(1006);
  assert.equal(sockets.length, 1);
  online.dispatchEvent(new Event('online'));
  assert.equal(sockets.length, 2);
});

test('malformed frames are ignored', () => {
  const { client, socket, events } = setup();
  client.start();
  socket().open();
  socket().onmessage({ data: '{not json' });
  socket().receive({ type: 'mystery' });
  assert.equal(events.length, 0);
  assert.equal(client.status, 'connecting');
});

// ---- presence focus ----

test('focus is sent once the subscription is live, again after a reconnect, and cleared with null', () => {
  const { client, socket, clock: c } = setup();
  client.start();
  client.subscribe('workspace:w1', { cursor: null });
  assert.equal(client.setFocus('workspace:w1', 'r1:goals'), true);
  assert.equal(client.setFocus('workspace:nope', 'x'), false, 'only on a subscribed topic');
  socket().open();
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: { id: 'u', displayName: 'U' } });
  assert.deepEqual(socket().sentOfType('focus'), [], 'not before the subscription is confirmed');
  socket().receive({ type: 'subscribed', topic: 'workspace:w1', epoch: EPOCH, seq: 0, recovered: true, replayed: 0 });
  assert.deepEqual(socket().sentOfType('focus'), [{ type: 'focus', topic: 'workspace:w1', focus: 'r1:goals' }]);
  client.setFocus('workspace:w1', 'r1:goals');
  assert.equal(socket().sentOfType('focus').length, 1, 'the same focus is not sent twice');
  client.setFocus('workspace:w1', 'r1:measures');
  assert.equal(client.focus('workspace:w1'), 'r1:measures');

  // The connection drops: the server forgot the focus; it is sent again after resubscribing.
  socket().serverClose();
  c.advance(1000);
  socket().open();
  socket().receive({ type: 'hello', protocol: 1, epoch: EPOCH, user: { id: 'u', displayName: 'U' } });
  socket().receive({ type: 'subscribed', topic: 'workspace:w1', epoch: EPOCH, seq: 0, recovered: true, replayed: 0 });
  assert.deepEqual(socket().sentOfType('focus'), [{ type: 'focus', topic: 'workspace:w1', focus: 'r1:measures' }]);
  client.setFocus('workspace:w1', null);
  assert.deepEqual(socket().sentOfType('focus').at(-1), { type: 'focus', topic: 'workspace:w1', focus: null });
  client.setFocus('workspace:w1', '');
  assert.equal(socket().sentOfType('focus').length, 2, 'null and empty are the same');
  client.stop();
});

test('a fresh subscription without focus sends nothing', () => {
  const { client, socket } = setup();
  client.start();
  client.subscribe('workspace:w2', { cursor: null });
  client.setFocus('workspace:w2', null);
  socket().open();
  socket().receive({ type: 'subscribed', topic: 'workspace:w2', epoch: EPOCH, seq: 0, recovered: true, replayed: 0 });
  assert.deepEqual(socket().sentOfType('focus'), []);
  client.stop();
});

test('an answer older than the events already applied does not replace the live state', async () => {
  const { snapshotIsCurrent, eventIsSeen, cursorAfter, adoptSnapshot } = await import('../lib/live.js');
  // Member's answer was read at seq 5 (one dot); the guest's dot (seq 6) already arrived by event.
  const live = { topics: [{ id: 't', dots: 2 }], me: { dots: {}, dotsLeft: 3 } };
  const answer = { topics: [{ id: 't', dots: 1 }], me: { dots: { t: 1 }, dotsLeft: 2 }, cursor: { epoch: 'e', seq: 5 } };
  assert.equal(snapshotIsCurrent(answer.cursor, { epoch: 'e', seq: 6 }), false);
  const kept = adoptSnapshot(live, { epoch: 'e', seq: 6 }, answer);
  assert.equal(kept.state.topics[0].dots, 2, 'the newer tally stays');
  assert.deepEqual(kept.state.me, answer.me, 'my own dots come from the answer');
  assert.deepEqual(kept.seen, { epoch: 'e', seq: 6 });
  // A current answer replaces the state and moves the cursor.
  const newer = { ...answer, cursor: { epoch: 'e', seq: 7 } };
  assert.equal(adoptSnapshot(live, { epoch: 'e', seq: 6 }, newer).state, newer);
  assert.deepEqual(adoptSnapshot(live, { epoch: 'e', seq: 6 }, newer).seen, { epoch: 'e', seq: 7 });
  // Another epoch, or no cursor on either side: the answer wins (nothing to compare).
  assert.equal(snapshotIsCurrent({ epoch: 'f', seq: 1 }, { epoch: 'e', seq: 6 }), true);
  assert.equal(snapshotIsCurrent(undefined, { epoch: 'e', seq: 6 }), true);
  assert.equal(snapshotIsCurrent({ epoch: 'e', seq: 1 }, null), true);
  // Events the state already contains are skipped; later ones advance the cursor.
  assert.equal(eventIsSeen({ epoch: 'e', seq: 7 }, { epoch: 'e', seq: 7 }), true);
  assert.equal(eventIsSeen({ epoch: 'e', seq: 7 }, { epoch: 'e', seq: 8 }), false);
  assert.equal(eventIsSeen({ epoch: 'e', seq: 7 }, { epoch: 'f', seq: 2 }), false);
  assert.equal(eventIsSeen(null, { epoch: 'e', seq: 2 }), false);
  assert.deepEqual(cursorAfter({ epoch: 'e', seq: 7 }, { seq: 8 }), { epoch: 'e', seq: 8 });
  assert.deepEqual(cursorAfter({ epoch: 'e', seq: 7 }, { name: 'x' }), { epoch: 'e', seq: 7 });
});
