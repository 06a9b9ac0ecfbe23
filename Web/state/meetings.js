// Meetings (issue 4): the pure parts of the planner, agenda editor, live view, minutes and
// approval. Nothing here touches the DOM, the network or the clock; every function that
// needs "now" takes it as an argument, so the tests run with an injected clock.
//
// Shapes are those of the hub's API (Sources/HubServices/Views/MeetingViews.swift):
// an agenda is a flat list of items in reading order with `parentId` (the server numbers
// them "3.1"); minutes keep one version per section (notes per item, each attendance
// entry, decision, action item, open points) and a stale save of one section is
// `409 minutes.editConflict` with the current minutes, which becomes a merge state here.

export const STATUSES = ['planned', 'invited', 'held', 'minutesApproved', 'published', 'cancelled'];
export const RESPONSES = ['accepted', 'tentative', 'declined'];
export const ATTENDANCE = ['present', 'excused', 'absent'];
export const ACTION_STATUSES = ['open', 'done', 'dropped'];
/** Levels an agenda may have ("4.1.2"), as the core allows. */
export const MAX_DEPTH = 3;

// ------------------------------------------------------------------ agenda

/** Builds the tree from the flat list (reading order, parentId). */
export function agendaTree(items) {
  const nodes = new Map();
  const roots = [];
  for (const item of items ?? []) nodes.set(item.id, { item, children: [] });
  for (const item of items ?? []) {
    const node = nodes.get(item.id);
    const parent = item.parentId ? nodes.get(item.parentId) : null;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** Flattens a tree again, deriving number, depth and parentId ("1", "3.1", "3.1.2"). */
export function flattenTree(roots) {
  const out = [];
  const walk = (list, prefix, depth, parentId) => {
    list.forEach((node, i) => {
      const number = prefix ? `${prefix}.${i + 1}` : String(i + 1);
      out.push({ ...node.item, number, depth, parentId, hasChildren: node.children.length > 0 });
      walk(node.children, number, depth + 1, node.item.id);
    });
  };
  walk(roots, '', 0, null);
  return out;
}

/** The items numbered again from their order (what the server will answer after a move). */
export function numberAgenda(items) {
  return flattenTree(agendaTree(items));
}

function locate(roots, id, parent = null) {
  for (let i = 0; i < roots.length; i += 1) {
    if (roots[i].item.id === id) return { list: roots, index: i, parent };
    const inner = locate(roots[i].children, id, roots[i]);
    if (inner) return inner;
  }
  return null;
}

function levels(node) {
  return 1 + Math.max(0, ...node.children.map(levels));
}

function levelOf(roots, node) {
  let depth = 0;
  let current = locate(roots, node.item.id);
  while (current && current.parent) {
    depth += 1;
    current = locate(roots, current.parent.item.id);
  }
  return depth;
}

function containsId(node, id) {
  return node.item.id === id || node.children.some((c) => containsId(c, id));
}

/**
 * Applies an agenda edit as the core does (moveUp, moveDown, indent, outdent, move) and
 * returns the new numbered list, or `{ error }` with the reason the server would give.
 * Standard items keep their place; the UI shows the prediction at once and replaces it
 * with the server's answer.
 */
export function applyAgendaEdit(items, edit) {
  const roots = structuredClone(agendaTree(items));
  const at = locate(roots, edit.itemId);
  if (!at) return { error: 'notFound' };
  const node = at.list[at.index];
  if (node.item.standard) return { error: 'standardItemFixed' };
  switch (edit.op) {
    case 'moveUp':
    case 'moveDown': {
      const target = at.index + (edit.op === 'moveUp' ? -1 : 1);
      if (target < 0 || target >= at.list.length) return { error: edit.op === 'moveUp' ? 'first' : 'last' };
      at.list.splice(at.index, 1);
      at.list.splice(target, 0, node);
      break;
    }
    case 'indent': {
      if (at.index === 0) return { error: 'noItemAbove' };
      const newParent = at.list[at.index - 1];
      if (levelOf(roots, newParent) + 1 + levels(node) > MAX_DEPTH) return { error: 'tooDeep' };
      at.list.splice(at.index, 1);
      newParent.children.push(node);
      break;
    }
    case 'outdent': {
      if (!at.parent) return { error: 'topLevel' };
      const up = locate(roots, at.parent.item.id);
      at.list.splice(at.index, 1);
      up.list.splice(up.index + 1, 0, node);
      break;
    }
    case 'move': {
      if (edit.parentId && containsId(node, edit.parentId)) return { error: 'intoItself' };
      at.list.splice(at.index, 1);
      let list = roots;
      let parentLevel = -1;
      if (edit.parentId) {
        const p = locate(roots, edit.parentId);
        if (!p) return { error: 'notFound' };
        list = p.list[p.index].children;
        parentLevel = levelOf(roots, p.list[p.index]);
      }
      if (parentLevel + 1 + levels(node) > MAX_DEPTH) return { error: 'tooDeep' };
      const index = edit.index ?? 0;
      if (index < 0 || index > list.length) return { error: 'noSuchPosition' };
      list.splice(index, 0, node);
      break;
    }
    default:
      return { error: 'unknownOp' };
  }
  return { items: flattenTree(roots) };
}

/**
 * The agenda edit a key press asks for on a focused item (the core's keyboard model):
 * Alt+↑/↓ move among siblings, Alt+→ / Alt+← indent into the item above / outdent.
 * (Tab stays with focus navigation, so indenting is on Alt+→.) Null for other keys.
 */
export function keyEdit({ key, altKey = false, ctrlKey = false, metaKey = false, shiftKey = false }) {
  if (!altKey || ctrlKey || metaKey || shiftKey) return null;
  switch (key) {
    case 'ArrowUp': return 'moveUp';
    case 'ArrowDown': return 'moveDown';
    case 'ArrowRight': return 'indent';
    case 'ArrowLeft': return 'outdent';
    default: return null;
  }
}

/**
 * The `move` edit for a drop of `draggedId` before or after `targetId` (same parent as the
 * target). Null when the drop changes nothing or is impossible.
 */
export function dropEdit(items, draggedId, targetId, position = 'before') {
  if (!draggedId || !targetId || draggedId === targetId) return null;
  const roots = agendaTree(items);
  const target = locate(roots, targetId);
  const dragged = locate(roots, draggedId);
  if (!target || !dragged) return null;
  const parentId = target.parent ? target.parent.item.id : null;
  let index = target.index + (position === 'after' ? 1 : 0);
  // Removing the dragged item first shifts later siblings of the same list by one.
  if (dragged.list === target.list && dragged.index < index) index -= 1;
  if (dragged.list === target.list && dragged.index === index) return null;
  return { op: 'move', itemId: draggedId, parentId, index };
}

/** Total planned minutes of the top-level items (sub-items are inside their parent). */
export function plannedTotal(items) {
  return (items ?? []).filter((x) => !x.parentId).reduce((sum, x) => sum + (x.plannedMinutes ?? x.durationMinutes ?? 0), 0);
}

// ------------------------------------------------------------------ live timer

function pad(n) {
  return String(n).padStart(2, '0');
}

/** "m:ss" or "h:mm:ss" for a number of whole seconds (not negative). */
export function clockText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  return h ? `${h}:${pad(m)}:${pad(rest)}` : `${m}:${pad(rest)}`;
}

/**
 * The countdown of the current item from its stored end time (ISO instant) and `now`
 * (milliseconds): `{ remaining, overrun, seconds, label }`. `seconds` is what is left
 * (or how far over when `overrun`); browsers tick this themselves, nothing ticks on the
 * server. Null when no timer runs.
 */
export function timer(endsAt, nowMs) {
  if (!endsAt) return null;
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return null;
  const diff = end - nowMs;
  if (diff > 0) {
    const seconds = Math.ceil(diff / 1000);
    return { overrun: false, seconds, label: clockText(seconds) };
  }
  const seconds = Math.max(0, Math.floor((nowMs - end) / 1000));
  return { overrun: true, seconds, label: clockText(seconds) };
}

/** When to say the time aloud (screen readers): at 5 and 1 minute left and at the overrun, once each. */
export function timerMilestone(previous, current) {
  if (!current) return null;
  if (current.overrun && (!previous || !previous.overrun)) return 'overrun';
  if (current.overrun || !previous || previous.overrun) return null;
  for (const mark of [300, 60]) {
    if (previous.seconds > mark && current.seconds <= mark) return `left${mark / 60}`;
  }
  return null;
}

/** The live state in short: whether it runs, the current item and the one after it. */
export function liveState(agenda) {
  const live = agenda?.live ?? null;
  const items = agenda?.items ?? [];
  if (!live) return { phase: 'notStarted', current: null, next: null };
  if (live.finishedAt) return { phase: 'finished', current: null, next: null };
  const index = items.findIndex((x) => x.id === live.currentItemId);
  const current = index >= 0 ? items[index] : null;
  const next = index >= 0 ? items.slice(index + 1).find((x) => !x.hasChildren) ?? null : null;
  return { phase: 'running', current, next };
}

// ------------------------------------------------------------------ minutes

/** The section key of a minutes entry, as the API names it. */
export function sectionKey(kind, id) {
  switch (kind) {
    case 'notes': return `notes:${id}`;
    case 'attendance': return `attendance:${id}`;
    case 'decision': return `decision:${id}`;
    case 'actionItem': return `actionItem:${id}`;
    case 'openPoints': return 'openPoints';
    default: throw new Error(`unknown section kind ${kind}`);
  }
}

/** The stored value and version of a section ({ value, version }; version 0 when new). */
export function sectionOf(minutes, key) {
  if (!minutes) return { value: null, version: 0 };
  if (key === 'openPoints') return { value: minutes.openPoints?.text ?? '', version: minutes.openPoints?.version ?? 0 };
  const [kind, ...rest] = key.split(':');
  const id = rest.join(':');
  if (kind === 'notes') {
    const n = minutes.notes?.[id];
    return { value: n ? n.text : '', version: n ? n.version : 0 };
  }
  const list = { attendance: minutes.attendance, decision: minutes.decisions, actionItem: minutes.actionItems }[kind] ?? [];
  const match = list.find((v) => (kind === 'attendance' ? v.value.person : v.value.id) === id);
  return { value: match ? match.value : null, version: match ? match.version : 0 };
}

/** The body of PUT …/minutes/sections for a text section (notes of an item, open points). */
export function textSaveBody(key, text, baseVersion) {
  if (key === 'openPoints') return { kind: 'openPoints', baseVersion, text };
  const [kind, id] = key.split(':');
  if (kind !== 'notes') throw new Error(`not a text section: ${key}`);
  return { kind: 'notes', itemId: id, baseVersion, text };
}

/**
 * Editor state of the text sections: per section key `{ base, baseVersion, draft, merge }`.
 * `base` is the text the draft started from; `merge` is set after a 409 and holds
 * `{ theirs, theirsVersion }` until the person resolves it. No text is ever dropped.
 */
export function startEditing(editors, key, minutes) {
  if (editors[key]) return editors;
  const { value, version } = sectionOf(minutes, key);
  return { ...editors, [key]: { base: value ?? '', baseVersion: version, draft: value ?? '', merge: null } };
}

export function typeDraft(editors, key, draft) {
  const e = editors[key];
  if (!e) return editors;
  return { ...editors, [key]: { ...e, draft } };
}

/** Whether the draft differs from what it started from (unsaved). */
export function isDirty(editor) {
  return Boolean(editor) && editor.draft !== editor.base;
}

/**
 * After a successful save: the section is clean at the server's new version. `typed` is
 * what the field holds now; text typed while the save was under way stays as a draft.
 */
export function saved(editors, key, minutes, typed = undefined) {
  const { value, version } = sectionOf(minutes, key);
  const rest = { ...editors };
  delete rest[key];
  if (typed !== undefined && typed !== (value ?? '')) {
    return { ...rest, [key]: { base: value ?? '', baseVersion: version, draft: typed, merge: null } };
  }
  return rest;
}

/**
 * A save refused with 409: keep the person's draft, show theirs next to it and start from
 * their version, so the next save (of the merged text) is not refused again. A stale save
 * identical to the current text is no conflict at all.
 */
export function conflict(editors, key, currentMinutes) {
  const e = editors[key];
  const { value, version } = sectionOf(currentMinutes, key);
  const theirs = value ?? '';
  if (!e) return editors;
  if (theirs === e.draft) return saved(editors, key, currentMinutes);
  return { ...editors, [key]: { ...e, baseVersion: version, merge: { theirs, theirsVersion: version, mine: e.draft, base: e.base } } };
}

/** A suggestion for the merged text: theirs, then the lines of mine they do not have. */
export function mergeSuggestion(mine, theirs, base = '') {
  if (!theirs || theirs === base) return mine;
  if (!mine || mine === base) return theirs;
  const have = new Set(theirs.split('\n').map((l) => l.trim()).filter(Boolean));
  const extra = mine.split('\n').filter((l) => l.trim() && !have.has(l.trim()) && !base.split('\n').map((b) => b.trim()).includes(l.trim()));
  return extra.length ? `${theirs.replace(/\s+$/, '')}\n${extra.join('\n')}` : theirs;
}

/** The merge resolved: the draft becomes `text`, on top of their version. */
export function resolveMerge(editors, key, text) {
  const e = editors[key];
  if (!e || !e.merge) return editors;
  return { ...editors, [key]: { base: e.merge.theirs, baseVersion: e.merge.theirsVersion, draft: text, merge: null } };
}

/**
 * Someone else saved a section (live event with the whole minutes): open editors that are
 * clean follow the new text; dirty ones keep the draft and are marked `changedUnderneath`
 * (the save will then 409 and merge, or the person merges now).
 */
export function othersSaved(editors, minutes) {
  let next = editors;
  for (const [key, e] of Object.entries(editors)) {
    const { value, version } = sectionOf(minutes, key);
    if (version === e.baseVersion || e.merge) continue;
    if (!isDirty(e)) next = { ...next, [key]: { ...e, base: value ?? '', baseVersion: version, draft: value ?? '' } };
    else next = { ...next, [key]: { ...e, changedUnderneath: true } };
  }
  return next;
}

// ------------------------------------------------------------------ approval

/** State of an objection (the API sends answer and withdrawnAt; the core derives the state). */
export function objectionState(o) {
  if (o.withdrawnAt) return 'withdrawn';
  return o.answer ? 'answered' : 'open';
}

/** Berlin calendar date of an instant ("YYYY-MM-DD"). */
export function berlinDate(nowMs) {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(nowMs));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** A date plus days ("YYYY-MM-DD"). */
export function addDays(date, days) {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return next.toISOString().slice(0, 10);
}

/**
 * What can be done with the minutes now, for someone who may manage (`manage`) or was
 * present (`present`): circulate, recirculate, approve (after the deadline, or when a
 * decision is required), publish (once approved and the meeting is not yet published).
 */
export function approvalActions(meeting, minutes, { manage = false, present = false, today }) {
  const stage = minutes?.approval?.stage ?? 'draft';
  const deadline = minutes?.approval?.deadline ?? null;
  const open = (minutes?.objections ?? []).filter((o) => objectionState(o) === 'open');
  const pastDeadline = Boolean(deadline && today > deadline);
  return {
    circulate: manage && stage === 'draft' && meeting?.status === 'held',
    recirculate: manage && stage === 'circulated',
    approve: manage && stage === 'circulated' && pastDeadline && open.length === 0,
    answer: manage && stage === 'circulated',
    object: present && stage === 'circulated' && !pastDeadline,
    publish: manage && meeting?.status === 'minutesApproved',
    openObjections: open.length,
    pastDeadline,
  };
}

// ------------------------------------------------------------------ action items

/** Overdue: open and due before today (Berlin). */
export function isOverdue(item, today) {
  return item?.status === 'open' && Boolean(item.due) && item.due < today;
}

/** The action list sorted: overdue first, then by due date (none last), then text. */
export function sortActions(entries, today) {
  const key = (e) => [isOverdue(e.item, today) || e.isOverdue ? 0 : 1, e.item.due ?? '9999-99-99', e.item.text];
  return [...entries].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i += 1) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  });
}

// ------------------------------------------------------------------ planner

/** Status steps the organizer may take from a status (the server checks again). */
export function meetingActions(meeting, { manage = false }) {
  if (!manage || !meeting) return [];
  switch (meeting.status) {
    case 'planned': return ['invite', 'held', 'cancel'];
    case 'invited': return ['held', 'cancel'];
    default: return [];
  }
}

/**
 * The body of POST /api/v1/workspaces/<id>/meetings from the planner form's values, or
 * `{ errors: [{ field, code }] }`. Date "YYYY-MM-DD", times "HH:MM" (Berlin wall clock),
 * guests one e-mail address a line.
 */
export function plannerBody(form) {
  const errors = [];
  const title = String(form.title ?? '').trim();
  if (!form.templateId) errors.push({ field: 'templateId', code: 'required' });
  if (!title) errors.push({ field: 'title', code: 'required' });
  const date = String(form.date ?? '');
  const start = String(form.startTime ?? '');
  const end = String(form.endTime ?? '');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.push({ field: 'date', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(start)) errors.push({ field: 'startTime', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(end)) errors.push({ field: 'endTime', code: 'required' });
  else if (/^\d{2}:\d{2}$/.test(start) && end <= start) errors.push({ field: 'endTime', code: 'endBeforeStart' });
  const guests = String(form.guests ?? '').split(/[\n,;]+/).map((x) => x.trim()).filter(Boolean);
  for (const g of guests) {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(g)) errors.push({ field: 'guests', code: 'invalidEmail', value: g });
  }
  const url = String(form.onlineUrl ?? '').trim();
  if (url && !/^https:\/\//i.test(url)) errors.push({ field: 'onlineUrl', code: 'https' });
  if (errors.length) return { errors };
  const invitees = [
    ...(form.members ?? []).map((id) => ({ key: `member:${id}` })),
    ...guests.map((email) => ({ key: `guest:${email}` })),
  ];
  const body = {
    templateId: form.templateId,
    title,
    description: String(form.description ?? ''),
    start: `${date}T${start}`,
    end: `${date}T${end}`,
    invitees,
  };
  const place = String(form.place ?? '').trim();
  if (place) body.place = place;
  if (url) body.onlineUrl = url;
  return { body };
}

/** "2026-04-14T17:00" → { date: "2026-04-14", time: "17:00" }. */
export function splitLocal(text) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(String(text ?? ''));
  return m ? { date: m[1], time: m[2] } : { date: '', time: '' };
}

// ------------------------------------------------------------------ live events

const MEETING_EVENTS = new Set(['meeting.updated', 'meeting.statusChanged', 'meeting.created']);

/**
 * How an invitee is named on the page: their name; a guest without one by their address (the
 * key `guest:<address>` is the API's, not a reader's); a member without a name as "?".
 */
export function inviteeLabel(invitee) {
  if (invitee?.name) return invitee.name;
  const key = String(invitee?.key ?? '');
  if (key.startsWith('guest:')) return key.slice('guest:'.length);
  return key.startsWith('member:') ? '?' : key;
}

/** From when a meeting may be started live: an hour before its start instant (`startsAt`, the hub's rule); null without one. */
export function startableFrom(startsAt) {
  const at = Date.parse(startsAt ?? '');
  return Number.isNaN(at) ? null : new Date(at - 60 * 60 * 1000);
}

/** A document link's address for an href: only http(s) addresses, anything else goes nowhere. */
export function safeDocumentUrl(url) {
  try {
    const u = new URL(String(url ?? ''));
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '#';
  } catch {
    return '#';
  }
}

/** Document rows of the agenda item form as the API takes them: trimmed; rows left empty are dropped. */
export function documentRows(titles, urls) {
  const rows = [];
  for (let i = 0; i < Math.max(titles.length, urls.length); i += 1) {
    const title = String(titles[i] ?? '').trim();
    const url = String(urls[i] ?? '').trim();
    if (title || url) rows.push({ title, url });
  }
  return rows;
}

/**
 * The newer of two versions of a record (`key`: 'version' for meetings and agendas, 'revision'
 * for minutes): an HTTP answer read before a live event that has already been applied must not
 * replace what the event brought.
 */
export function newest(current, incoming, key = 'version') {
  if (!current || !incoming) return incoming ?? current;
  return (incoming[key] ?? 0) < (current[key] ?? 0) ? current : incoming;
}

/**
 * Applies an event of the workspace topic to the open meeting page's state
 * `{ meeting, agenda, minutes, tally }`; returns the same object when the event is about
 * another meeting or changes nothing.
 */
export function applyMeetingEvent(state, event) {
  if (!state || !event || !event.data || !state.meeting) return state;
  const d = event.data;
  const id = state.meeting.id;
  const about = d.meeting?.id ?? d.agenda?.meetingId ?? d.minutes?.meetingId ?? d.meetingId ?? null;
  if (about !== id) return state;
  if (MEETING_EVENTS.has(event.name) && d.meeting) {
    if (d.meeting.version < state.meeting.version) return state;
    return { ...state, meeting: d.meeting };
  }
  if ((event.name === 'agenda.changed' || event.name === 'agenda.liveChanged') && d.agenda) {
    if (state.agenda && d.agenda.version < state.agenda.version) return state;
    return { ...state, agenda: d.agenda };
  }
  if (event.name.startsWith('minutes.') && d.minutes) {
    if (state.minutes && d.minutes.revision < state.minutes.revision) return state;
    return { ...state, minutes: d.minutes };
  }
  if (event.name === 'meeting.rsvpRecorded' && d.tally) return { ...state, tally: d.tally };
  return state;
}

// ------------------------------------------------------------------ editing the meeting

const EDIT_FIELDS = ['title', 'description', 'start', 'end', 'place', 'onlineUrl'];

/** The meeting's editable values as the edit form holds them. */
export function editValues(meeting) {
  const s = splitLocal(meeting.start);
  const e = splitLocal(meeting.end);
  return {
    title: meeting.title ?? '', description: meeting.description ?? '', date: s.date, startTime: s.time, endTime: e.time,
    place: meeting.place ?? '', onlineUrl: meeting.onlineUrl ?? '',
  };
}

/**
 * The PATCH body with only what changed against `meeting` (absent fields stay; an emptied
 * place or link is `null`, which removes it), or `{ errors }`. Empty body: nothing changed.
 */
export function meetingPatch(meeting, form) {
  const errors = [];
  const title = String(form.title ?? '').trim();
  if (!title) errors.push({ field: 'title', code: 'required' });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date ?? '')) errors.push({ field: 'date', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(form.startTime ?? '')) errors.push({ field: 'startTime', code: 'required' });
  if (!/^\d{2}:\d{2}$/.test(form.endTime ?? '')) errors.push({ field: 'endTime', code: 'required' });
  else if (form.endTime <= form.startTime) errors.push({ field: 'endTime', code: 'endBeforeStart' });
  const url = String(form.onlineUrl ?? '').trim();
  if (url && !/^https:\/\//i.test(url)) errors.push({ field: 'onlineUrl', code: 'https' });
  if (errors.length) return { errors };
  const next = {
    title, description: String(form.description ?? ''), start: `${form.date}T${form.startTime}`, end: `${form.date}T${form.endTime}`,
    place: String(form.place ?? '').trim() || null, onlineUrl: url || null,
  };
  const body = {};
  for (const f of EDIT_FIELDS) {
    const before = f === 'start' || f === 'end' ? String(meeting[f] ?? '').slice(0, 16) : (meeting[f] ?? (f === 'title' || f === 'description' ? '' : null));
    if (next[f] !== before) body[f] = next[f];
  }
  return { body };
}

/** After a 409: the fields someone else changed between `base` (what I started from) and `current`. */
export function changedFields(base, current) {
  return EDIT_FIELDS.filter((f) => (base?.[f] ?? null) !== (current?.[f] ?? null));
}

// ------------------------------------------------------------------ deleting a meeting

/**
 * Whether the meeting page offers "delete": managers, before the meeting was held, not for
 * an occurrence of a series (DELETE /api/v1/meetings/<id>, Docs/domain/meetings.md).
 */
export function mayDelete(meeting, { manage = false } = {}) {
  if (!manage || !meeting || meeting.seriesId) return false;
  return meeting.status === 'planned' || meeting.status === 'invited' || meeting.status === 'cancelled';
}

/**
 * What deleting will do, for the confirmation text: `cancel` when invitees get a CANCEL (an
 * invited meeting), `oparl` when OParl keeps it as deleted (it was invited once).
 */
export function deleteConsequences(meeting) {
  const invited = meeting?.status === 'invited';
  return { cancel: invited, oparl: invited || (meeting?.status === 'cancelled' && Boolean(meeting?.invitedAt)) };
}

/** `meeting.deleted` about this meeting marks the state deleted (the page says so). */
export function applyDeletion(state, event) {
  if (!state?.meeting || event?.name !== 'meeting.deleted' || event.data?.meetingId !== state.meeting.id) return state;
  return { ...state, deleted: true };
}

// ------------------------------------------------------------------ objections: which section

/**
 * The sections an objection may name, in reading order: the minutes as a whole (value ''),
 * each agenda item's notes, each decision, each action item, the open points. Values are
 * the API's section keys (`notes:<itemId>`, `decision:<id>`, `actionItem:<id>`, `openPoints`).
 */
export function objectionSectionOptions(minutes, agendaItems) {
  const out = [{ value: '', kind: 'whole' }];
  for (const it of agendaItems ?? []) out.push({ value: `notes:${it.id}`, kind: 'notes', number: it.number ?? '', title: it.title ?? '' });
  for (const d of minutes?.decisions ?? []) out.push({ value: `decision:${d.value.id}`, kind: 'decision', title: d.value.text ?? '' });
  for (const a of minutes?.actionItems ?? []) out.push({ value: `actionItem:${a.value.id}`, kind: 'actionItem', title: a.value.text ?? '' });
  out.push({ value: 'openPoints', kind: 'openPoints' });
  return out;
}

/**
 * An objection's `section` as its key: the API sends the key (`notes:<id>`); objections
 * stored before that came as `{ notes: { _0: '<id>' } }`. '' for the minutes as a whole.
 */
export function objectionSectionKey(section) {
  if (!section) return '';
  if (typeof section === 'string') return section;
  const [kind] = Object.keys(section);
  if (!kind) return '';
  if (kind === 'openPoints') return 'openPoints';
  const value = section[kind]?._0;
  return value ? `${kind}:${value}` : kind;
}

/** Shortens a long text for a label (a decision or an action item). */
export function shortLabel(text, max = 60) {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
