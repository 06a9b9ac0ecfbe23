import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as m from '../state/meetings.js';

// An agenda as the API answers it: flat, in reading order, with parentId.
function agenda() {
  return [
    { id: 'w', title: 'Begrüßung', standard: 'welcome', parentId: null, durationMinutes: 5 },
    { id: 'p', title: 'Protokoll', standard: 'approvalOfMinutes', parentId: null, durationMinutes: 5 },
    { id: 't', title: 'Themen', standard: 'topics', parentId: null, durationMinutes: 0 },
    { id: 'a', title: 'A', standard: null, parentId: 't', durationMinutes: 20 },
    { id: 'b', title: 'B', standard: null, parentId: 't', durationMinutes: 15 },
    { id: 'c', title: 'C', standard: null, parentId: 't', durationMinutes: 10 },
    { id: 'v', title: 'Verschiedenes', standard: 'anyOtherBusiness', parentId: null, durationMinutes: 10 },
  ];
}

const numbers = (items) => items.map((x) => `${x.number} ${x.id}`);

test('numbering follows the tree: 1, 2, 3, 3.1 …', () => {
  assert.deepEqual(numbers(m.numberAgenda(agenda())), ['1 w', '2 p', '3 t', '3.1 a', '3.2 b', '3.3 c', '4 v']);
  const items = m.numberAgenda(agenda());
  assert.equal(items.find((x) => x.id === 't').hasChildren, true);
  assert.equal(items.find((x) => x.id === 'a').depth, 1);
});

test('moveUp and moveDown swap with siblings and renumber', () => {
  const up = m.applyAgendaEdit(agenda(), { op: 'moveUp', itemId: 'b' });
  assert.deepEqual(numbers(up.items).slice(3, 6), ['3.1 b', '3.2 a', '3.3 c']);
  const down = m.applyAgendaEdit(agenda(), { op: 'moveDown', itemId: 'b' });
  assert.deepEqual(numbers(down.items).slice(3, 6), ['3.1 a', '3.2 c', '3.3 b']);
  assert.equal(m.applyAgendaEdit(agenda(), { op: 'moveUp', itemId: 'a' }).error, 'first');
  assert.equal(m.applyAgendaEdit(agenda(), { op: 'moveDown', itemId: 'c' }).error, 'last');
});

test('standard items keep their place', () => {
  assert.equal(m.applyAgendaEdit(agenda(), { op: 'moveDown', itemId: 'w' }).error, 'standardItemFixed');
  assert.equal(m.applyAgendaEdit(agenda(), { op: 'move', itemId: 'v', parentId: null, index: 0 }).error, 'standardItemFixed');
});

test('indent goes into the item above, outdent after the parent', () => {
  const indented = m.applyAgendaEdit(agenda(), { op: 'indent', itemId: 'b' });
  assert.deepEqual(numbers(indented.items).slice(3, 6), ['3.1 a', '3.1.1 b', '3.2 c']);
  assert.equal(m.applyAgendaEdit(agenda(), { op: 'indent', itemId: 'a' }).error, 'noItemAbove');
  const out = m.applyAgendaEdit(agenda(), { op: 'outdent', itemId: 'b' });
  assert.deepEqual(numbers(out.items), ['1 w', '2 p', '3 t', '3.1 a', '3.2 c', '4 b', '5 v']);
  assert.equal(m.applyAgendaEdit(numbers(agenda()) && agenda(), { op: 'outdent', itemId: 't' }).error, 'standardItemFixed');
});

test('three levels at most', () => {
  const once = m.applyAgendaEdit(agenda(), { op: 'indent', itemId: 'b' }).items;
  const twice = m.applyAgendaEdit(once, { op: 'indent', itemId: 'c' }).items; // c into a (3.1.2)
  assert.deepEqual(numbers(twice).slice(3, 6), ['3.1 a', '3.1.1 b', '3.1.2 c']);
  assert.equal(m.applyAgendaEdit(twice, { op: 'indent', itemId: 'c' }).error, 'tooDeep');
});

test('keyboard: Alt+arrows are the agenda edits, nothing else', () => {
  assert.equal(m.keyEdit({ key: 'ArrowUp', altKey: true }), 'moveUp');
  assert.equal(m.keyEdit({ key: 'ArrowDown', altKey: true }), 'moveDown');
  assert.equal(m.keyEdit({ key: 'ArrowRight', altKey: true }), 'indent');
  assert.equal(m.keyEdit({ key: 'ArrowLeft', altKey: true }), 'outdent');
  assert.equal(m.keyEdit({ key: 'ArrowUp' }), null);
  assert.equal(m.keyEdit({ key: 'ArrowUp', altKey: true, shiftKey: true }), null);
  assert.equal(m.keyEdit({ key: 'Tab', altKey: true }), null);
});

test('drop: a move edit with the index after removal, null when nothing changes', () => {
  assert.deepEqual(m.dropEdit(agenda(), 'c', 'a', 'before'), { op: 'move', itemId: 'c', parentId: 't', index: 0 });
  assert.deepEqual(m.dropEdit(agenda(), 'a', 'c', 'after'), { op: 'move', itemId: 'a', parentId: 't', index: 2 });
  assert.equal(m.dropEdit(agenda(), 'a', 'b', 'before'), null);
  assert.equal(m.dropEdit(agenda(), 'a', 'a', 'before'), null);
  const edit = m.dropEdit(agenda(), 'a', 'c', 'after');
  assert.deepEqual(numbers(m.applyAgendaEdit(agenda(), edit).items).slice(3, 6), ['3.1 b', '3.2 c', '3.3 a']);
  // Onto the top level, next to a standard item.
  assert.deepEqual(m.dropEdit(agenda(), 'b', 'v', 'before'), { op: 'move', itemId: 'b', parentId: null, index: 3 });
});

test('timer: remaining time from the stored end, then the overrun', () => {
  const end = '2026-11-22T18:30:00.000Z';
  const at = (iso) => Date.parse(iso);
  assert.deepEqual(m.timer(end, at('2026-11-22T18:20:00.000Z')), { overrun: false, seconds: 600, label: '10:00' });
  assert.deepEqual(m.timer(end, at('2026-11-22T18:29:59.400Z')), { overrun: false, seconds: 1, label: '0:01' });
  assert.deepEqual(m.timer(end, at('2026-11-22T18:30:00.000Z')), { overrun: true, seconds: 0, label: '0:00' });
  assert.deepEqual(m.timer(end, at('2026-11-22T18:32:05.000Z')), { overrun: true, seconds: 125, label: '2:05' });
  assert.equal(m.timer(end, at('2026-11-22T16:29:00.000Z')).label, '2:01:00');
  assert.equal(m.timer(null, 0), null);
  assert.equal(m.timer('garbage', 0), null);
});

test('timer milestones are said once each', () => {
  const end = Date.parse('2026-11-22T18:30:00.000Z');
  const at = (s) => m.timer('2026-11-22T18:30:00.000Z', end - s * 1000);
  assert.equal(m.timerMilestone(at(301), at(300)), 'left5');
  assert.equal(m.timerMilestone(at(300), at(299)), null);
  assert.equal(m.timerMilestone(at(61), at(60)), 'left1');
  assert.equal(m.timerMilestone(at(1), at(0)), 'overrun');
  assert.equal(m.timerMilestone(at(0), at(-5)), null);
  assert.equal(m.timerMilestone(null, at(-5)), 'overrun');
});

test('live state: the current item and the next leaf', () => {
  const items = m.numberAgenda(agenda());
  assert.equal(m.liveState({ items, live: null }).phase, 'notStarted');
  const running = m.liveState({ items, live: { currentItemId: 'p', endsAt: 'x' } });
  assert.equal(running.current.id, 'p');
  assert.equal(running.next.id, 'a', 'the topics container is skipped for its first sub-item');
  assert.equal(m.liveState({ items, live: { currentItemId: 'v', finishedAt: 'x' } }).phase, 'finished');
});

function minutes(overrides = {}) {
  return {
    meetingId: 'm1',
    notes: { a: { text: 'Erste Notiz', version: 2, updatedAt: 'x' } },
    openPoints: { text: '', version: 0, updatedAt: 'x' },
    attendance: [{ value: { person: 'member:u1', name: 'X', status: 'present', publicationConsent: false }, version: 1 }],
    decisions: [],
    actionItems: [{ value: { id: 'ai1', text: 'Tun', owner: { name: 'Y' }, due: '2026-11-01', status: 'open' }, version: 1 }],
    approval: { stage: 'draft', round: 0 },
    objections: [],
    revision: 4,
    ...overrides,
  };
}

test('sections: keys, stored values and versions, save bodies', () => {
  assert.equal(m.sectionKey('notes', 'a'), 'notes:a');
  assert.equal(m.sectionKey('attendance', 'member:u1'), 'attendance:member:u1');
  assert.deepEqual(m.sectionOf(minutes(), 'notes:a'), { value: 'Erste Notiz', version: 2 });
  assert.deepEqual(m.sectionOf(minutes(), 'notes:b'), { value: '', version: 0 });
  assert.equal(m.sectionOf(minutes(), 'attendance:member:u1').version, 1);
  assert.equal(m.sectionOf(minutes(), 'actionItem:ai1').value.text, 'Tun');
  assert.deepEqual(m.textSaveBody('notes:a', 'neu', 2), { kind: 'notes', itemId: 'a', baseVersion: 2, text: 'neu' });
  assert.deepEqual(m.textSaveBody('openPoints', 'o', 0), { kind: 'openPoints', baseVersion: 0, text: 'o' });
});

test('a stale save (409) keeps my text and shows theirs; saving the merge goes on their version', () => {
  let editors = m.startEditing({}, 'notes:a', minutes());
  editors = m.typeDraft(editors, 'notes:a', 'Erste Notiz\nMeine Ergänzung');
  assert.equal(m.isDirty(editors['notes:a']), true);
  const current = minutes({ notes: { a: { text: 'Erste Notiz\nIhre Ergänzung', version: 3, updatedAt: 'y' } }, revision: 5 });
  editors = m.conflict(editors, 'notes:a', current);
  const e = editors['notes:a'];
  assert.equal(e.draft, 'Erste Notiz\nMeine Ergänzung', 'my text is kept');
  assert.equal(e.merge.theirs, 'Erste Notiz\nIhre Ergänzung');
  assert.equal(e.merge.theirsVersion, 3);
  const suggestion = m.mergeSuggestion(e.merge.mine, e.merge.theirs, e.merge.base);
  assert.equal(suggestion, 'Erste Notiz\nIhre Ergänzung\nMeine Ergänzung');
  editors = m.resolveMerge(editors, 'notes:a', suggestion);
  assert.equal(editors['notes:a'].merge, null);
  assert.equal(editors['notes:a'].baseVersion, 3);
  assert.deepEqual(m.textSaveBody('notes:a', editors['notes:a'].draft, editors['notes:a'].baseVersion).baseVersion, 3);
});

test('a stale save identical to the current text is no conflict', () => {
  let editors = m.startEditing({}, 'notes:a', minutes());
  editors = m.typeDraft(editors, 'notes:a', 'Gleich');
  editors = m.conflict(editors, 'notes:a', minutes({ notes: { a: { text: 'Gleich', version: 3 } } }));
  assert.equal(editors['notes:a'], undefined);
});

test('after a save, text typed meanwhile stays as a draft', () => {
  let editors = m.startEditing({}, 'notes:a', minutes());
  editors = m.typeDraft(editors, 'notes:a', 'v1');
  const after = minutes({ notes: { a: { text: 'v1', version: 3 } } });
  assert.deepEqual(m.saved(editors, 'notes:a', after, 'v1'), {});
  assert.deepEqual(m.saved(editors, 'notes:a', after, 'v1 und mehr')['notes:a'], { base: 'v1', baseVersion: 3, draft: 'v1 und mehr', merge: null });
});

test('others saving: clean editors follow, dirty ones are marked', () => {
  let editors = m.startEditing({}, 'notes:a', minutes());
  editors = m.startEditing(editors, 'openPoints', minutes());
  editors = m.typeDraft(editors, 'openPoints', 'meins');
  const current = minutes({ notes: { a: { text: 'neu', version: 3 } }, openPoints: { text: 'deren', version: 1 } });
  editors = m.othersSaved(editors, current);
  assert.equal(editors['notes:a'].draft, 'neu');
  assert.equal(editors['notes:a'].baseVersion, 3);
  assert.equal(editors.openPoints.draft, 'meins');
  assert.equal(editors.openPoints.changedUnderneath, true);
});

test('approval actions follow stage, deadline and open objections', () => {
  const meeting = { status: 'held' };
  const draft = minutes();
  assert.equal(m.approvalActions(meeting, draft, { manage: true, today: '2026-11-22' }).circulate, true);
  assert.equal(m.approvalActions(meeting, draft, { manage: false, today: '2026-11-22' }).circulate, false);
  const circulated = minutes({ approval: { stage: 'circulated', deadline: '2026-12-06', round: 1 } });
  const before = m.approvalActions(meeting, circulated, { manage: true, present: true, today: '2026-11-22' });
  assert.equal(before.approve, false);
  assert.equal(before.object, true);
  const after = m.approvalActions(meeting, circulated, { manage: true, present: true, today: '2026-12-07' });
  assert.equal(after.approve, true);
  assert.equal(after.object, false);
  const objected = minutes({ approval: { stage: 'circulated', deadline: '2026-12-06', round: 1 }, objections: [{ id: 'o', text: 'x' }] });
  assert.equal(m.approvalActions(meeting, objected, { manage: true, today: '2026-12-07' }).approve, false);
  assert.equal(m.approvalActions(meeting, objected, { manage: true, today: '2026-12-07' }).openObjections, 1);
  assert.equal(m.approvalActions({ status: 'minutesApproved' }, minutes({ approval: { stage: 'approved' } }), { manage: true, today: 'x' }).publish, true);
  assert.equal(m.objectionState({ answer: { text: 'a' } }), 'answered');
  assert.equal(m.objectionState({ withdrawnAt: 'x', answer: null }), 'withdrawn');
});

test('dates in Berlin and deadlines', () => {
  assert.equal(m.berlinDate(Date.parse('2026-11-22T23:30:00Z')), '2026-11-23');
  assert.equal(m.berlinDate(Date.parse('2026-07-01T21:59:00Z')), '2026-07-01');
  assert.equal(m.addDays('2026-12-25', 14), '2027-01-08');
});

test('action items: overdue when open and due before today; sorted overdue first', () => {
  const today = '2026-11-22';
  assert.equal(m.isOverdue({ status: 'open', due: '2026-11-21' }, today), true);
  assert.equal(m.isOverdue({ status: 'open', due: '2026-11-22' }, today), false);
  assert.equal(m.isOverdue({ status: 'done', due: '2026-11-01' }, today), false);
  assert.equal(m.isOverdue({ status: 'open', due: null }, today), false);
  const list = [
    { item: { text: 'ohne', status: 'open', due: null } },
    { item: { text: 'später', status: 'open', due: '2026-12-01' } },
    { item: { text: 'überfällig', status: 'open', due: '2026-11-01' } },
  ];
  assert.deepEqual(m.sortActions(list, today).map((e) => e.item.text), ['überfällig', 'später', 'ohne']);
});

test('planner: the create body from the form, or field errors', () => {
  const ok = m.plannerBody({
    templateId: 'tpl', title: ' Sitzung 4 ', date: '2026-12-01', startTime: '17:00', endTime: '19:00',
    place: 'Kreishaus', onlineUrl: '', members: ['u1', 'u2'], guests: 'a@example.org\nb@example.org',
  });
  assert.deepEqual(ok.body, {
    templateId: 'tpl', title: 'Sitzung 4', description: '', start: '2026-12-01T17:00', end: '2026-12-01T19:00', place: 'Kreishaus',
    invitees: [{ key: 'member:u1' }, { key: 'member:u2' }, { key: 'guest:a@example.org' }, { key: 'guest:b@example.org' }],
  });
  const bad = m.plannerBody({ templateId: '', title: '', date: '', startTime: '18:00', endTime: '17:00', guests: 'kein-mail', onlineUrl: 'http://x' });
  assert.deepEqual(bad.errors.map((e) => `${e.field}:${e.code}`).sort(),
    ['date:required', 'endTime:endBeforeStart', 'guests:invalidEmail', 'onlineUrl:https', 'templateId:required', 'title:required']);
  assert.deepEqual(m.splitLocal('2026-04-14T17:05'), { date: '2026-04-14', time: '17:05' });
});

test('meeting actions by status', () => {
  assert.deepEqual(m.meetingActions({ status: 'planned' }, { manage: true }), ['invite', 'held', 'cancel']);
  assert.deepEqual(m.meetingActions({ status: 'invited' }, { manage: false }), []);
  assert.deepEqual(m.meetingActions({ status: 'held' }, { manage: true }), []);
});

test('live events of the workspace topic update only the open meeting, never backwards', () => {
  const state = { meeting: { id: 'm1', version: 3, status: 'invited' }, agenda: { meetingId: 'm1', version: 5, items: [] }, minutes: minutes(), tally: null };
  const other = m.applyMeetingEvent(state, { name: 'agenda.liveChanged', data: { agenda: { meetingId: 'm2', version: 9 } } });
  assert.equal(other, state);
  const live = m.applyMeetingEvent(state, { name: 'agenda.liveChanged', data: { agenda: { meetingId: 'm1', version: 6, live: { currentItemId: 'a' } } } });
  assert.equal(live.agenda.live.currentItemId, 'a');
  const stale = m.applyMeetingEvent(live, { name: 'agenda.changed', data: { agenda: { meetingId: 'm1', version: 4 } } });
  assert.equal(stale, live);
  const mins = m.applyMeetingEvent(state, { name: 'minutes.saved', data: { minutes: minutes({ revision: 5, openPoints: { text: 'neu', version: 1 } }), section: 'openPoints' } });
  assert.equal(mins.minutes.openPoints.text, 'neu');
  const tally = m.applyMeetingEvent(state, { name: 'meeting.rsvpRecorded', data: { meetingId: 'm1', tally: { accepted: 2 } } });
  assert.deepEqual(tally.tally, { accepted: 2 });
  const held = m.applyMeetingEvent(state, { name: 'meeting.statusChanged', data: { meeting: { id: 'm1', version: 4, status: 'held' } } });
  assert.equal(held.meeting.status, 'held');
});

test('every message the meeting views use exists in German and English', async () => {
  const { readFile } = await import('node:fs/promises');
  const { messages } = await import('../lib/i18n.js');
  const source = await readFile(new URL('../views/meetings.js', import.meta.url), 'utf8');
  const keys = [...source.matchAll(/t\('(mt\.[A-Za-z0-9.]+)'/g)].map((x) => x[1]);
  assert.ok(keys.length > 100);
  const dynamic = [
    ...m.STATUSES.map((s) => `mt.status.${s}`), ...m.RESPONSES.map((r) => `mt.rsvp.${r}`),
    ...m.ATTENDANCE.map((s) => `mt.attendance.${s}`), ...m.ACTION_STATUSES.map((s) => `mt.action.${s}`),
    ...['invite', 'held', 'cancel', 'publish'].flatMap((s) => [`mt.step.${s}`, `mt.step.${s}.done`]),
    ...['overview', 'live', 'minutes'].map((s) => `mt.tab.${s}`), ...['draft', 'circulated', 'approved'].map((s) => `mt.stage.${s}`),
    ...['left5', 'left1', 'overrun'].map((s) => `mt.live.milestone.${s}`),
    ...['first', 'last', 'standardItemFixed', 'noItemAbove', 'topLevel', 'tooDeep', 'intoItself', 'noSuchPosition', 'notFound'].map((s) => `mt.agenda.cannot.${s}`),
  ];
  for (const key of [...keys, ...dynamic]) {
    assert.ok(messages.de[key], `de ${key}`);
    assert.ok(messages.en[key], `en ${key}`);
  }
});

test('editing a meeting: only changed fields, emptied place removes it, errors named', () => {
  const meeting = { title: 'Sitzung', description: '', start: '2026-12-01T17:00', end: '2026-12-01T19:00', place: 'Kreishaus', onlineUrl: null, version: 3 };
  const same = m.editValues(meeting);
  assert.deepEqual(m.meetingPatch(meeting, same).body, {});
  assert.deepEqual(m.meetingPatch(meeting, { ...same, place: '', endTime: '19:30' }).body, { end: '2026-12-01T19:30', place: null });
  assert.deepEqual(m.meetingPatch(meeting, { ...same, title: 'Neu', onlineUrl: 'https://x.example/r' }).body, { title: 'Neu', onlineUrl: 'https://x.example/r' });
  assert.deepEqual(m.meetingPatch(meeting, { ...same, title: ' ', endTime: '16:00' }).errors.map((e) => e.field), ['title', 'endTime']);
  assert.deepEqual(m.changedFields(meeting, { ...meeting, place: 'Rathaus', version: 4 }), ['place']);
});

test('newest: an answer older than a record an event already brought does not replace it', () => {
  const live = { id: 'a', version: 7, items: ['x', 'y'] };
  const stale = { id: 'a', version: 6, items: ['x'] };
  const fresh = { id: 'a', version: 8, items: ['y', 'x'] };
  assert.equal(m.newest(live, stale), live);
  assert.equal(m.newest(live, fresh), fresh);
  assert.equal(m.newest(live, { ...live }).version, 7, 'the same version: the answer (equal content)');
  assert.equal(m.newest(null, stale), stale);
  assert.equal(m.newest({ revision: 4 }, { revision: 3 }, 'revision').revision, 4);
  assert.equal(m.newest({ revision: 4 }, { revision: 5 }, 'revision').revision, 5);
});

test('agenda document links: only http(s) addresses are linked; empty form rows are dropped', () => {
  assert.equal(m.safeDocumentUrl('https://kreis.example/vorlage.pdf'), 'https://kreis.example/vorlage.pdf');
  assert.equal(m.safeDocumentUrl('http://kreis.example/a b'), 'http://kreis.example/a%20b');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vorlage.pdf', '', null, 'ftp://x.example/']) {
    assert.equal(m.safeDocumentUrl(bad), '#', String(bad));
  }
  assert.deepEqual(m.documentRows([' Vorlage ', '', 'Nur Titel', ''], ['https://a.example/v ', '', '', 'https://b.example/']), [
    { title: 'Vorlage', url: 'https://a.example/v' },
    { title: 'Nur Titel', url: '' },
    { title: '', url: 'https://b.example/' },
  ]);
  assert.deepEqual(m.documentRows([], []), []);
});

test('inviteeLabel: names first; guests without a name by address, never the API key', () => {
  assert.equal(m.inviteeLabel({ key: 'member:7', name: 'Mitglied (Demo)' }), 'Mitglied (Demo)');
  assert.equal(m.inviteeLabel({ key: 'guest:gast@example.org', name: '' }), 'gast@example.org');
  assert.equal(m.inviteeLabel({ key: 'guest:gast@example.org' }), 'gast@example.org');
  assert.equal(m.inviteeLabel({ key: 'member:7' }), '?');
  assert.equal(m.inviteeLabel(null), '');
});

test('startableFrom: an hour before the start instant, null without one', () => {
  assert.equal(m.startableFrom('2026-12-07T16:00:00.000Z').toISOString(), '2026-12-07T15:00:00.000Z');
  assert.equal(m.startableFrom(undefined), null);
  assert.equal(m.startableFrom('kein Datum'), null);
});

test('mayDelete: managers, before the meeting is held, not for a series occurrence', () => {
  const mk = (status, extra = {}) => ({ id: 'm1', status, ...extra });
  assert.equal(m.mayDelete(mk('planned'), { manage: true }), true);
  assert.equal(m.mayDelete(mk('invited'), { manage: true }), true);
  assert.equal(m.mayDelete(mk('cancelled'), { manage: true }), true);
  assert.equal(m.mayDelete(mk('held'), { manage: true }), false);
  assert.equal(m.mayDelete(mk('published'), { manage: true }), false);
  assert.equal(m.mayDelete(mk('planned'), { manage: false }), false);
  assert.equal(m.mayDelete(mk('planned', { seriesId: 's1' }), { manage: true }), false);
  assert.equal(m.mayDelete(null, { manage: true }), false);
});

test('deleteConsequences: CANCEL only for an invited meeting, OParl once it was invited', () => {
  assert.deepEqual(m.deleteConsequences({ status: 'planned', invitedAt: null }), { cancel: false, oparl: false });
  assert.deepEqual(m.deleteConsequences({ status: 'invited', invitedAt: '2026-04-01T10:00:00Z' }), { cancel: true, oparl: true });
  assert.deepEqual(m.deleteConsequences({ status: 'cancelled', invitedAt: '2026-04-01T10:00:00Z' }), { cancel: false, oparl: true });
  assert.deepEqual(m.deleteConsequences({ status: 'cancelled', invitedAt: null }), { cancel: false, oparl: false });
});

test('applyDeletion: meeting.deleted about this meeting marks it deleted, others change nothing', () => {
  const state = { meeting: { id: 'm1', status: 'planned' } };
  const gone = m.applyDeletion(state, { name: 'meeting.deleted', data: { meetingId: 'm1', workspaceId: 'w1' } });
  assert.equal(gone.deleted, true);
  assert.equal(m.applyDeletion(state, { name: 'meeting.deleted', data: { meetingId: 'm2' } }), state);
  assert.equal(m.applyDeletion(state, { name: 'meeting.updated', data: { meetingId: 'm1' } }), state);
});

test('objection sections: whole, items, decisions, action items, open points; keys as the API takes them', () => {
  const minutes = { decisions: [{ value: { id: 'd1', text: 'Beschluss A' } }], actionItems: [{ value: { id: 'a1', text: 'Aufgabe B' } }] };
  const opts = m.objectionSectionOptions(minutes, [{ id: 'i1', number: '1', title: 'Begrüßung' }, { id: 'i2', number: '3.1', title: 'Thema' }]);
  assert.deepEqual(opts.map((o) => o.value), ['', 'notes:i1', 'notes:i2', 'decision:d1', 'actionItem:a1', 'openPoints']);
  assert.equal(opts[2].number, '3.1');
  assert.deepEqual(m.objectionSectionOptions(null, null).map((o) => o.kind), ['whole', 'openPoints']);
});

test('objectionSectionKey reads the key form and the older synthesized form', () => {
  assert.equal(m.objectionSectionKey('notes:i1'), 'notes:i1');
  assert.equal(m.objectionSectionKey({ notes: { _0: 'i1' } }), 'notes:i1');
  assert.equal(m.objectionSectionKey({ openPoints: {} }), 'openPoints');
  assert.equal(m.objectionSectionKey(null), '');
  assert.equal(m.shortLabel('x'.repeat(80)).length, 60);
  assert.equal(m.shortLabel(' a  b '), 'a b');
});
