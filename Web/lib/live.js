// The WebSocket client for /ws (protocol version 1, see Docs/api/websocket.md).
//
// It keeps, per topic, the cursor {epoch, seq} of the last event it delivered. After a
// reconnect it subscribes again with that cursor, so the server replays exactly what was
// missed. When the server cannot (recovered:false) or a subscription was dropped
// (resync), it either asks the server to replay from the cursor (resync) or calls the
// topic's `reload()` to fetch a fresh snapshot over HTTP and subscribes with the
// snapshot's cursor. Events at or below the cursor are dropped, so nothing is delivered
// twice.
//
// Presence focus: `setFocus(topic, focus)` says where the person works within a topic
// (e.g. "<recommendationId>:goals", null when nowhere in particular). The client keeps it
// per topic and sends it again after every (re)subscription, since the server forgets it
// with the connection.
//
// Events (EventTarget): 'status' {status, previous}, 'hello' {epoch, user}, 'subscribed'
// {topic, recovered, replayed}, 'event' {topic, epoch, seq, prev, name, at, data}, 'presence'
// {topic, users}, 'reloaded' {topic, cursor}, 'liveerror' {code, message, topic}.

/**
 * What to do with an incoming event given the topic's cursor. An event may carry `prev`, the
 * seq of the event the server sent before it on the topic: the events between were values
 * superseded by newer ones (conflated tallies, Docs/api/websocket.md), so a client holding at
 * least `prev` misses nothing. Without `prev` it is `seq - 1`.
 */
export function classifyEvent(cursor, event) {
  if (!cursor || cursor.seq === null || cursor.seq === undefined) return 'apply';
  if (event.epoch && cursor.epoch && event.epoch !== cursor.epoch) return 'epoch';
  if (typeof event.seq !== 'number') return 'apply';
  if (event.seq <= cursor.seq) return 'duplicate';
  const prev = typeof event.prev === 'number' ? event.prev : event.seq - 1;
  if (prev <= cursor.seq) return 'apply';
  return 'gap';
}

/**
 * Whether a snapshot (an HTTP answer carrying the topic's cursor) may replace a state that
 * has already applied the topic's events up to `seen`. An answer computed before an event
 * that arrived first is older than the state: adopting it would undo someone else's change
 * (a dot placed by another participant would vanish until the next event).
 */
export function snapshotIsCurrent(snapshot, seen) {
  if (!seen || typeof seen.seq !== 'number' || !snapshot || typeof snapshot.seq !== 'number') return true;
  if (snapshot.epoch && seen.epoch && snapshot.epoch !== seen.epoch) return true;
  return snapshot.seq >= seen.seq;
}

/** Whether an event is already contained in a state that has seen the topic up to `seen`. */
export function eventIsSeen(seen, event) {
  if (!seen || typeof seen.seq !== 'number' || !event || typeof event.seq !== 'number') return false;
  if (event.epoch && seen.epoch && event.epoch !== seen.epoch) return false;
  return event.seq <= seen.seq;
}

/** The cursor a state has after applying `event` (or `seen` when the event has no position). */
export function cursorAfter(seen, event) {
  if (!event || typeof event.seq !== 'number') return seen ?? null;
  return { epoch: event.epoch ?? seen?.epoch ?? null, seq: event.seq };
}

/**
 * The state after an HTTP answer's snapshot: the snapshot itself when it is current, else
 * the state the events built with only the requester's own parts (`personal`, e.g. `me`:
 * my dots, my marks) taken from the answer. Returns {state, seen}.
 */
export function adoptSnapshot(current, seen, snapshot, personal = ['me']) {
  if (!current || snapshotIsCurrent(snapshot?.cursor, seen)) return { state: snapshot, seen: snapshot?.cursor ?? seen ?? null };
  const state = { ...current };
  for (const key of personal) if (snapshot && key in snapshot) state[key] = snapshot[key];
  return { state, seen };
}

/** Exponential backoff with jitter: between half and all of min(max, base * 2^attempt). */
export function backoffDelay(attempt, random = Math.random, { base = 500, max = 10000 } = {}) {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** ws(s)://host/ws for a location-like object. */
export function socketUrl(location, path = '/ws') {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}

/** Builds the subscribe message for a topic and cursor. */
export function subscribeMessage(topic, cursor, id, guest = null) {
  const msg = { type: 'subscribe', topic };
  if (guest) msg.guest = guest;
  if (cursor && cursor.seq !== null && cursor.seq !== undefined) {
    msg.seq = cursor.seq;
    if (cursor.epoch) msg.epoch = cursor.epoch;
  }
  if (id !== undefined) msg.id = id;
  return msg;
}

const OPEN = 1;

export class LiveClient extends EventTarget {
  #url;
  #WS;
  #random;
  #setTimeout;
  #clearTimeout;
  #options;
  #socket = null;
  #status = 'idle';
  #attempt = 0;
  #reconnectTimer = null;
  #heartbeatTimer = null;
  #livenessTimer = null;
  #stopped = true;
  #held = false;
  #nextId = 1;
  #topics = new Map();
  #onlineTarget;
  #onOnline = () => {
    if (!this.#stopped && !this.#held && this.#status === 'reconnecting') this.#connectNow();
  };

  constructor({
    url,
    WebSocket: WS = globalThis.WebSocket,
    random = Math.random,
    setTimeout: st = (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: ct = (t) => globalThis.clearTimeout(t),
    baseDelayMs = 500,
    maxDelayMs = 10000,
    heartbeatMs = 25000,
    livenessMs = 10000,
    reloadRetryMs = 2000,
    onlineTarget = null,
  } = {}) {
    super();
    this.#url = url;
    this.#WS = WS;
    this.#random = random;
    this.#setTimeout = st;
    this.#clearTimeout = ct;
    this.#options = { baseDelayMs, maxDelayMs, heartbeatMs, livenessMs, reloadRetryMs };
    this.#onlineTarget = onlineTarget;
  }

  get status() {
    return this.#status;
  }

  /** The cursor held for a topic, or null. */
  cursor(topic) {
    const entry = this.#topics.get(topic);
    return entry && entry.cursor ? { ...entry.cursor } : null;
  }

  get topics() {
    return [...this.#topics.keys()];
  }

  start() {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#held = false;
    this.#attempt = 0;
    if (this.#onlineTarget) this.#onlineTarget.addEventListener('online', this.#onOnline);
    this.#connectNow();
  }

  stop() {
    this.#stopped = true;
    if (this.#onlineTarget) this.#onlineTarget.removeEventListener('online', this.#onOnline);
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      try {
        socket.close(1000, 'bye');
      } catch {
        /* already closed */
      }
    }
    this.#topics.clear();
    this.#setStatus('closed');
  }

  /**
   * Subscribes to a topic. `cursor` is the snapshot's {epoch, seq} (or null to start at
   * the head); `reload` is an async function that reloads the snapshot and returns its
   * cursor (or null).
   */
  subscribe(topic, { cursor = null, reload = null, guest = null } = {}) {
    const entry = {
      topic,
      guest,
      cursor: cursor && cursor.seq !== undefined ? { epoch: cursor.epoch ?? null, seq: cursor.seq } : null,
      reload,
      state: 'pending',
      sentWithCursor: false,
      generation: (this.#topics.get(topic)?.generation ?? 0) + 1,
      reloadTries: 0,
      retryTimer: null,
      focus: this.#topics.get(topic)?.focus ?? null,
      focusSent: false,
      focusEverSent: false,
    };
    const old = this.#topics.get(topic);
    if (old && old.retryTimer) this.#clearTimeout(old.retryTimer);
    this.#topics.set(topic, entry);
    this.#sendSubscribe(entry);
  }

  /**
   * Where the person works within a subscribed topic (a short ASCII key, or null). Sent at
   * once when the subscription is live, and again after every resubscription.
   */
  setFocus(topic, focus) {
    const entry = this.#topics.get(topic);
    const value = typeof focus === 'string' && focus ? focus : null;
    if (!entry) return false;
    if (entry.focus === value && entry.focusSent) return true;
    entry.focus = value;
    entry.focusSent = false;
    if (entry.state === 'live') this.#sendFocus(entry);
    return true;
  }

  /** The focus held for a topic (null when none). */
  focus(topic) {
    return this.#topics.get(topic)?.focus ?? null;
  }

  #sendFocus(entry) {
    // Nothing to clear on a fresh subscription: the server starts without a focus.
    if (entry.focus === null && !entry.focusSent && !entry.focusEverSent) {
      entry.focusSent = true;
      return;
    }
    if (this.#send({ type: 'focus', topic: entry.topic, focus: entry.focus })) {
      entry.focusSent = true;
      entry.focusEverSent = entry.focus !== null;
    }
  }

  unsubscribe(topic) {
    const entry = this.#topics.get(topic);
    if (!entry) return;
    if (entry.retryTimer) this.#clearTimeout(entry.retryTimer);
    this.#topics.delete(topic);
    this.#send({ type: 'unsubscribe', topic, id: this.#newId() });
  }

  /** Test hook: drops the socket as a network failure would; holds reconnecting while `hold`. */
  dropForTest({ hold = false } = {}) {
    this.#held = hold;
    const socket = this.#socket;
    if (!socket) return;
    this.#detach(socket);
    try {
      socket.close(4000, 'dropped for test');
    } catch {
      /* ignore */
    }
    this.#onSocketGone();
  }

  /** Test hook: ends a hold set by dropForTest({hold:true}) and reconnects now. */
  resumeForTest() {
    this.#held = false;
    if (!this.#stopped && !this.#socket) this.#connectNow();
  }

  // ----- connection -----

  #setStatus(status) {
    if (status === this.#status) return;
    const previous = this.#status;
    this.#status = status;
    this.dispatchEvent(new CustomEvent('status', { detail: { status, previous, attempt: this.#attempt } }));
  }

  #clearTimers() {
    if (this.#reconnectTimer) this.#clearTimeout(this.#reconnectTimer);
    if (this.#heartbeatTimer) this.#clearTimeout(this.#heartbeatTimer);
    if (this.#livenessTimer) this.#clearTimeout(this.#livenessTimer);
    this.#reconnectTimer = this.#heartbeatTimer = this.#livenessTimer = null;
    for (const entry of this.#topics.values()) {
      if (entry.retryTimer) this.#clearTimeout(entry.retryTimer);
      entry.retryTimer = null;
    }
  }

  #connectNow() {
    if (this.#reconnectTimer) {
      this.#clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
    if (this.#stopped || this.#socket) return;
    this.#setStatus(this.#attempt === 0 && this.#status !== 'reconnecting' ? 'connecting' : 'reconnecting');
    let socket;
    try {
      socket = new this.#WS(this.#url);
    } catch {
      this.#onSocketGone();
      return;
    }
    this.#socket = socket;
    socket.onopen = () => {
      if (socket !== this.#socket) return;
      for (const entry of this.#topics.values()) {
        if (entry.state !== 'reloading') entry.state = 'pending';
        this.#sendSubscribe(entry);
      }
      this.#scheduleHeartbeat();
    };
    socket.onmessage = (ev) => {
      if (socket !== this.#socket) return;
      this.#alive();
      let msg;
      try {
        msg = JSON.parse(typeof ev.data === 'string' ? ev.data : String(ev.data));
      } catch {
        return;
      }
      this.#handle(msg);
    };
    socket.onclose = () => {
      if (socket !== this.#socket) return;
      this.#detach(socket);
      this.#onSocketGone();
    };
    socket.onerror = () => {
      /* a close event follows */
    };
  }

  #detach(socket) {
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    if (socket === this.#socket) this.#socket = null;
  }

  #onSocketGone() {
    this.#socket = null;
    if (this.#heartbeatTimer) this.#clearTimeout(this.#heartbeatTimer);
    if (this.#livenessTimer) this.#clearTimeout(this.#livenessTimer);
    this.#heartbeatTimer = this.#livenessTimer = null;
    for (const entry of this.#topics.values()) {
      if (entry.state !== 'reloading') entry.state = 'pending';
    }
    if (this.#stopped) {
      this.#setStatus('closed');
      return;
    }
    this.#setStatus('reconnecting');
    if (this.#held) return;
    const delay = backoffDelay(this.#attempt, this.#random, { base: this.#options.baseDelayMs, max: this.#options.maxDelayMs });
    this.#attempt += 1;
    this.#reconnectTimer = this.#setTimeout(() => {
      this.#reconnectTimer = null;
      this.#connectNow();
    }, delay);
  }

  #scheduleHeartbeat() {
    if (this.#heartbeatTimer) this.#clearTimeout(this.#heartbeatTimer);
    this.#heartbeatTimer = this.#setTimeout(() => {
      this.#heartbeatTimer = null;
      if (!this.#socket) return;
      this.#send({ type: 'ping', id: this.#newId() });
      if (this.#livenessTimer) this.#clearTimeout(this.#livenessTimer);
      this.#livenessTimer = this.#setTimeout(() => {
        // No answer: treat the connection as dead.
        this.#livenessTimer = null;
        const socket = this.#socket;
        if (!socket) return;
        this.#detach(socket);
        try {
          socket.close(4001, 'no pong');
        } catch {
          /* ignore */
        }
        this.#onSocketGone();
      }, this.#options.livenessMs);
    }, this.#options.heartbeatMs);
  }

  #alive() {
    if (this.#livenessTimer) {
      this.#clearTimeout(this.#livenessTimer);
      this.#livenessTimer = null;
    }
    if (!this.#heartbeatTimer) this.#scheduleHeartbeat();
  }

  #newId() {
    const id = `c${this.#nextId}`;
    this.#nextId += 1;
    return id;
  }

  #send(msg) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(msg));
    return true;
  }

  #sendSubscribe(entry) {
    if (entry.state === 'reloading') return;
    const msg = subscribeMessage(entry.topic, entry.cursor, this.#newId(), entry.guest);
    if (this.#send(msg)) {
      entry.state = 'subscribing';
      entry.sentWithCursor = msg.seq !== undefined;
    }
  }

  // ----- messages -----

  #handle(msg) {
    switch (msg.type) {
      case 'hello':
        this.#attempt = 0;
        this.#setStatus('open');
        this.dispatchEvent(new CustomEvent('hello', { detail: { epoch: msg.epoch, user: msg.user ?? null, protocol: msg.protocol } }));
        break;
      case 'authenticated':
        break;
      case 'subscribed':
        this.#onSubscribed(msg);
        break;
      case 'event':
        this.#onEvent(msg);
        break;
      case 'batch':
        for (const ev of Array.isArray(msg.events) ? msg.events : []) {
          this.#onEvent({ topic: msg.topic, ...ev });
        }
        break;
      case 'presence':
        this.dispatchEvent(new CustomEvent('presence', { detail: { topic: msg.topic, users: Array.isArray(msg.users) ? msg.users : [], count: Number.isInteger(msg.count) ? msg.count : (Array.isArray(msg.users) ? msg.users.length : 0) } }));
        break;
      case 'resync':
        this.#onResync(msg);
        break;
      case 'error':
        this.#onError(msg);
        break;
      case 'unsubscribed':
        // The server ends a subscription by itself when the user lost access (e.g. was
        // removed from the workspace): forget the topic and tell the page.
        if (msg.reason === 'forbidden' && typeof msg.topic === 'string') {
          const entry = this.#topics.get(msg.topic);
          if (entry && entry.retryTimer) this.#clearTimeout(entry.retryTimer);
          this.#topics.delete(msg.topic);
          this.dispatchEvent(new CustomEvent('revoked', { detail: { topic: msg.topic } }));
        }
        break;
      default:
        break; // pong, unknown: nothing to do
    }
  }

  #onSubscribed(msg) {
    const entry = this.#topics.get(msg.topic);
    if (!entry || entry.state === 'reloading') return;
    if (entry.sentWithCursor && msg.recovered === false) {
      this.#reload(entry);
      return;
    }
    if (!entry.sentWithCursor || !entry.cursor) {
      entry.cursor = { epoch: msg.epoch ?? null, seq: typeof msg.seq === 'number' ? msg.seq : 0 };
    } else if (!entry.cursor.epoch && msg.epoch) {
      entry.cursor = { ...entry.cursor, epoch: msg.epoch };
    }
    entry.state = 'live';
    entry.reloadTries = 0;
    // The server forgot any focus with the old subscription or connection.
    entry.focusSent = false;
    entry.focusEverSent = false;
    if (entry.focus !== null) this.#sendFocus(entry);
    this.dispatchEvent(new CustomEvent('subscribed', {
      detail: { topic: msg.topic, recovered: msg.recovered !== false, replayed: msg.replayed ?? 0, cursor: { ...entry.cursor } },
    }));
  }

  #onEvent(ev) {
    const entry = this.#topics.get(ev.topic);
    if (!entry || entry.state === 'reloading') return;
    const verdict = classifyEvent(entry.cursor, ev);
    switch (verdict) {
      case 'apply':
        entry.cursor = { epoch: ev.epoch ?? entry.cursor?.epoch ?? null, seq: typeof ev.seq === 'number' ? ev.seq : entry.cursor?.seq ?? 0 };
        this.dispatchEvent(new CustomEvent('event', {
          detail: { topic: ev.topic, epoch: ev.epoch, seq: ev.seq, prev: ev.prev, name: ev.name, at: ev.at, data: ev.data },
        }));
        break;
      case 'duplicate':
        break;
      case 'gap':
        // Should not happen (topics have no gaps); ask the server to replay from our cursor.
        this.#sendSubscribe(entry);
        break;
      case 'epoch':
        this.#reload(entry);
        break;
      default:
        break;
    }
  }

  #onResync(msg) {
    const entry = this.#topics.get(msg.topic);
    if (!entry || entry.state === 'reloading') return;
    entry.state = 'pending';
    this.#sendSubscribe(entry);
  }

  #onError(msg) {
    if (msg.topic && (msg.code === 'subscription.forbidden' || msg.code === 'subscription.unknownTopic')) {
      const entry = this.#topics.get(msg.topic);
      if (entry && entry.retryTimer) this.#clearTimeout(entry.retryTimer);
      this.#topics.delete(msg.topic);
    }
    this.dispatchEvent(new CustomEvent('liveerror', { detail: { code: msg.code, message: msg.message, topic: msg.topic ?? null, id: msg.id ?? null } }));
  }

  async #reload(entry) {
    const { topic, generation } = entry;
    entry.state = 'reloading';
    if (!entry.reload) {
      // Nobody can reload this topic: start again at the head.
      entry.cursor = null;
      entry.state = 'pending';
      this.dispatchEvent(new CustomEvent('reloaded', { detail: { topic, cursor: null } }));
      this.#sendSubscribe(entry);
      return;
    }
    let cursor;
    try {
      cursor = await entry.reload();
    } catch (err) {
      if (this.#topics.get(topic) !== entry || entry.generation !== generation || this.#stopped) return;
      entry.reloadTries += 1;
      const delay = Math.min(this.#options.maxDelayMs, this.#options.reloadRetryMs * entry.reloadTries);
      entry.retryTimer = this.#setTimeout(() => {
        entry.retryTimer = null;
        if (this.#topics.get(topic) === entry) this.#reload(entry);
      }, delay);
      this.dispatchEvent(new CustomEvent('liveerror', { detail: { code: 'reload.failed', message: String(err && err.message ? err.message : err), topic } }));
      return;
    }
    if (this.#topics.get(topic) !== entry || this.#stopped) return;
    entry.cursor = cursor && cursor.seq !== undefined ? { epoch: cursor.epoch ?? null, seq: cursor.seq } : null;
    entry.state = 'pending';
    this.dispatchEvent(new CustomEvent('reloaded', { detail: { topic, cursor: entry.cursor ? { ...entry.cursor } : null } }));
    this.#sendSubscribe(entry);
  }
}
