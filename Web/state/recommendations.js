// Recommendations (Handlungsempfehlungen): the profile's sections, their values, and the
// editor's merge state. Pure functions only: no DOM, no fetch.
//
// The hub saves a recommendation section by section: PATCH /api/v1/recommendations/{id}
// with If-Match "v<revision>" and a body of only the changed sections. Others' changes to
// other sections are merged by the server; the same section changed by both is a 409
// (recommendation.editConflict) with the current state.
//
// The editor state is
//   { server: RecommendationView (the newest state known), edits: { [section]: { value, origin } } }
// where an edit's `origin` is the server's value of that section when the person started
// typing (or when they last merged). A section is *pending* (changed elsewhere meanwhile)
// when the server's value moved away from the origin: it is never overwritten, and it is
// not saved until the person merged it (keep theirs, keep mine, or a merged text). All
// other edits are consistent with `server.revision`, which is therefore the If-Match of a
// save. Nothing typed is dropped unless it equals what the server holds.

export const SECTIONS = Object.freeze([
  'title', 'policyFields', 'situation', 'dataBasis', 'goals', 'measures', 'targetGroups', 'responsibleBody',
  'resources', 'budgetYears', 'impactKinds', 'indicators', 'timeline',
]);

/** Sections written as Markdown in a text area. */
export const MARKDOWN_SECTIONS = Object.freeze(['situation', 'dataBasis', 'goals', 'measures', 'targetGroups', 'timeline']);
/** Sections of one line of plain text. */
export const LINE_SECTIONS = Object.freeze(['title', 'responsibleBody']);
export const IMPACT_KINDS = Object.freeze(['financial', 'structural', 'ideational']);
export const DIRECTIONS = Object.freeze(['increase', 'decrease']);
export const STATUSES = Object.freeze(['draft', 'finished']);

export const LIMITS = Object.freeze({
  titleMin: 3, titleMax: 200, textMax: 20000, indicatorsMax: 20, policyFieldsMax: 11,
  fteMax: 10000, monthsMax: 240, moneyMax: 10000000000, unitMax: 40, sourceMax: 500, nameMax: 200,
  yearMin: 2000, yearMax: 2100,
});

/** The key of a section in the API's profile and PATCH body. */
export function bodyKey(section) {
  return section === 'policyFields' ? 'policyFieldIds' : section;
}

/** The section a server field name ("policyFieldIds[2]", "resources.personnelFTE") belongs to. */
export function sectionOfField(field) {
  const root = String(field ?? '').split(/[.[]/)[0];
  if (root === 'policyFieldIds' || root === 'policyFields') return 'policyFields';
  return SECTIONS.includes(root) ? root : null;
}

function text(value) {
  return typeof value === 'string' ? value : value === null || value === undefined ? '' : String(value);
}

function numberOrNull(value) {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

function emptyResources() {
  return { personnelFte: null, durationMonths: null, moneyEuroPerYear: null, note: '' };
}

function normalizeIndicator(i) {
  const src = i && typeof i === 'object' ? i : {};
  return {
    name: text(src.name).trim(),
    unit: text(src.unit).trim(),
    baseline: numberOrNull(src.baseline),
    target: numberOrNull(src.target),
    direction: DIRECTIONS.includes(src.direction) ? src.direction : 'increase',
    source: text(src.source),
  };
}

/**
 * A section's value in the form the server stores it: titles with collapsed whitespace,
 * lists without duplicates (impact kinds in their fixed order, years sorted), numbers or
 * null. Used for every comparison, so that "the same" means what the server would say.
 */
export function normalizeValue(section, value) {
  switch (section) {
    case 'title':
      return text(value).split(/\s+/).filter(Boolean).join(' ');
    case 'responsibleBody':
      return text(value).trim();
    case 'policyFields': {
      const seen = new Set();
      return (Array.isArray(value) ? value : []).map(text).filter((id) => id && !seen.has(id) && seen.add(id));
    }
    case 'impactKinds': {
      const list = Array.isArray(value) ? value : [];
      return IMPACT_KINDS.filter((k) => list.includes(k));
    }
    case 'budgetYears': {
      const years = (Array.isArray(value) ? value : []).map(numberOrNull).filter((y) => y !== null);
      return [...new Set(years)].sort((a, b) => a - b);
    }
    case 'resources': {
      const r = value && typeof value === 'object' ? value : emptyResources();
      return {
        personnelFte: numberOrNull(r.personnelFte),
        durationMonths: numberOrNull(r.durationMonths),
        moneyEuroPerYear: numberOrNull(r.moneyEuroPerYear),
        note: text(r.note),
      };
    }
    case 'indicators':
      return (Array.isArray(value) ? value : []).map(normalizeIndicator);
    default:
      return text(value);
  }
}

/** The value of one section of a profile (normalized, a fresh copy). */
export function sectionValue(profile, section) {
  const p = profile && typeof profile === 'object' ? profile : {};
  return normalizeValue(section, p[bodyKey(section)]);
}

function comparable(section, value) {
  const v = normalizeValue(section, value);
  // The order of policy fields carries no meaning; compare them as a set.
  if (section === 'policyFields') return JSON.stringify([...v].sort());
  return JSON.stringify(v);
}

/** Whether two values of a section are the same for the server. */
export function sameValue(section, a, b) {
  return comparable(section, a) === comparable(section, b);
}

/** The sections in which two profiles differ. */
export function changedSections(before, after) {
  return SECTIONS.filter((s) => !sameValue(s, sectionValue(before, s), sectionValue(after, s)));
}

// ---------------------------------------------------------------- the editor's state

export function initialEditor(recommendation) {
  return { server: recommendation ?? null, edits: {} };
}

/** Whether `rec` is newer than (or a changed status of) the held one. */
export function isNewer(held, rec) {
  if (!rec) return false;
  if (!held) return true;
  if (typeof rec.revision === 'number' && typeof held.revision === 'number') {
    if (rec.revision > held.revision) return true;
    if (rec.revision < held.revision) return false;
  }
  if (rec.status !== held.status || (rec.reference ?? null) !== (held.reference ?? null)) return rec.status === 'finished' || held.status !== 'finished';
  return Boolean(rec.updatedAt && held.updatedAt && rec.updatedAt > held.updatedAt);
}

function withoutSettled(edits, server) {
  let changed = false;
  const next = {};
  for (const [s, edit] of Object.entries(edits)) {
    if (server && sameValue(s, edit.value, sectionValue(server.profile, s))) {
      changed = true;
      continue;
    }
    next[s] = edit;
  }
  return changed ? next : edits;
}

/**
 * Takes a newer server state (a live event, a reload, the `current` of a 409). Edits that
 * now equal the server's text are settled; the others stay, and those whose section the
 * server changed meanwhile become pending. Older states are ignored.
 */
export function absorb(editor, recommendation) {
  if (!recommendation || (editor.server && recommendation.id !== editor.server.id)) return editor;
  if (!isNewer(editor.server, recommendation)) return editor;
  return { ...editor, server: recommendation, edits: withoutSettled(editor.edits, recommendation) };
}

/** The value the form shows for a section: the person's edit, else the server's. */
export function displayValue(editor, section) {
  const edit = editor.edits[section];
  return edit ? normalizeValue(section, edit.value) : sectionValue(editor.server?.profile, section);
}

/** The raw edit (as typed) of a section, or null. */
export function editOf(editor, section) {
  return editor.edits[section] ?? null;
}

export function isDirty(editor, section) {
  return Boolean(editor.edits[section]);
}

export function isPending(editor, section) {
  const edit = editor.edits[section];
  if (!edit || !editor.server) return false;
  return !sameValue(section, sectionValue(editor.server.profile, section), edit.origin);
}

export function dirtySections(editor) {
  return SECTIONS.filter((s) => editor.edits[s]);
}

export function pendingSections(editor) {
  return SECTIONS.filter((s) => isPending(editor, s));
}

/** Sections that can be saved now: changed, and not changed elsewhere meanwhile. */
export function saveableSections(editor) {
  return SECTIONS.filter((s) => editor.edits[s] && !isPending(editor, s));
}

/**
 * The person changed a section in the form. An edit that returns to the text it started
 * from is dropped (nothing to save), unless the section is pending (then it waits for the
 * merge, so the form does not change under the person's hands).
 */
export function edit(editor, section, value) {
  if (!SECTIONS.includes(section) || !editor.server) return editor;
  const held = editor.edits[section];
  const origin = held ? held.origin : sectionValue(editor.server.profile, section);
  const pending = held ? isPending(editor, section) : false;
  const edits = { ...editor.edits };
  if (!pending && sameValue(section, value, origin)) {
    if (!held) return editor;
    delete edits[section];
  } else {
    edits[section] = { value, origin };
  }
  return { ...editor, edits };
}

/** Drops a section's edit: the form shows the server's value again. */
export function discard(editor, section) {
  if (!editor.edits[section]) return editor;
  const edits = { ...editor.edits };
  delete edits[section];
  return { ...editor, edits };
}

/**
 * Ends a merge: `value` (theirs, mine, or a merged text) is now based on the server's
 * current value of the section. When it equals theirs, nothing is left to save.
 */
export function resolve(editor, section, value) {
  if (!editor.server) return editor;
  const theirs = sectionValue(editor.server.profile, section);
  const edits = { ...editor.edits };
  if (sameValue(section, value, theirs)) delete edits[section];
  else edits[section] = { value, origin: theirs };
  return { ...editor, edits };
}

/**
 * What to send for a save of `sections` (default: every saveable one). Pending sections
 * are left out. Returns null when there is nothing to send.
 */
export function saveRequest(editor, sections = null) {
  if (!editor.server) return null;
  const wanted = (sections ?? SECTIONS).filter((s) => editor.edits[s] && !isPending(editor, s));
  if (wanted.length === 0) return null;
  const body = {};
  const sent = {};
  for (const s of wanted) {
    const value = normalizeValue(s, editor.edits[s].value);
    sent[s] = value;
    body[bodyKey(s)] = s === 'policyFields' ? orderLike(value, sectionValue(editor.server.profile, s)) : value;
  }
  return { ifMatch: editor.server.revision, sections: wanted, body, sent };
}

/** Policy fields in the order the server holds them, new ones after. */
function orderLike(ids, before) {
  const kept = before.filter((id) => ids.includes(id));
  return [...kept, ...ids.filter((id) => !kept.includes(id))];
}

/**
 * After a successful save: the sections sent are settled unless the person typed on while
 * the request ran (then that newer text stays, now based on the saved one).
 */
export function afterSave(editor, recommendation, sent) {
  const edits = { ...editor.edits };
  for (const [s, value] of Object.entries(sent ?? {})) {
    const held = edits[s];
    if (!held) continue;
    if (sameValue(s, held.value, value)) delete edits[s];
    else edits[s] = { value: held.value, origin: recommendation ? sectionValue(recommendation.profile, s) : value };
  }
  const next = { ...editor, edits };
  if (!recommendation) return next;
  if (!isNewer(next.server, recommendation)) {
    // The server had nothing to change (the text was already there): settle against it.
    return { ...next, edits: withoutSettled(next.edits, next.server) };
  }
  return { ...next, server: recommendation, edits: withoutSettled(next.edits, recommendation) };
}

/**
 * A 409: the current state from the server. The edits stay; the sections the server named
 * (and any other whose text moved) become pending.
 */
export function afterConflict(editor, current, fields = []) {
  let next = absorb(editor, current);
  // Should the server name a section whose text did not move for us (e.g. a stale base),
  // make it pending too, so the person sees both versions before anything is overwritten.
  for (const f of Array.isArray(fields) ? fields : []) {
    const s = sectionOfField(f && f.field);
    const held = s ? next.edits[s] : null;
    if (!held || isPending(next, s) || !next.server) continue;
    const theirs = sectionValue(next.server.profile, s);
    if (sameValue(s, held.value, theirs)) continue;
    next = { ...next, edits: { ...next.edits, [s]: { value: held.value, origin: { __conflict: true, theirs } } } };
  }
  return next;
}

/** What the merge panel of a pending section shows. */
export function mergeOf(editor, section) {
  const held = editor.edits[section];
  if (!held || !editor.server) return null;
  const theirs = sectionValue(editor.server.profile, section);
  const yours = normalizeValue(section, held.value);
  return { section, theirs, yours, suggestion: suggestMerge(section, theirs, yours), combinable: COMBINABLE.has(section) };
}

const COMBINABLE = new Set(['policyFields', 'impactKinds', 'indicators']);

/**
 * A starting point for the merged value: for texts, theirs and then yours (so nothing of
 * either is lost; the person shortens it); for lists, both combined; else yours.
 */
export function suggestMerge(section, theirs, yours) {
  if (MARKDOWN_SECTIONS.includes(section)) {
    const a = String(theirs ?? '').trimEnd();
    const b = String(yours ?? '').trim();
    if (!a) return b;
    if (!b || a.includes(b)) return a;
    return `${a}\n\n${b}`;
  }
  if (LINE_SECTIONS.includes(section)) return yours;
  if (section === 'resources') {
    const t = normalizeValue('resources', theirs);
    const y = normalizeValue('resources', yours);
    const note = suggestMerge('situation', t.note, y.note);
    return {
      personnelFte: y.personnelFte ?? t.personnelFte,
      durationMonths: y.durationMonths ?? t.durationMonths,
      moneyEuroPerYear: y.moneyEuroPerYear ?? t.moneyEuroPerYear,
      note,
    };
  }
  if (section === 'policyFields' || section === 'impactKinds') {
    return normalizeValue(section, [...(theirs ?? []), ...(yours ?? [])]);
  }
  if (section === 'indicators') {
    const seen = new Set();
    return [...(theirs ?? []), ...(yours ?? [])].map(normalizeIndicator).filter((i) => {
      const key = JSON.stringify(i);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }
  return yours;
}

// ---------------------------------------------------------------- keeping the draft over a reload

export const DRAFT_PREFIX = 'roundtable.draft.';

/** What is kept in sessionStorage for a recommendation: its edits (null when none). */
export function serializeDraft(editor) {
  if (!editor.server) return null;
  const sections = dirtySections(editor);
  if (sections.length === 0) return null;
  const edits = {};
  for (const s of sections) edits[s] = { value: editor.edits[s].value, origin: editor.edits[s].origin };
  return JSON.stringify({ v: 1, id: editor.server.id, revision: editor.server.revision, edits });
}

/** Puts kept edits back onto a freshly loaded editor. Unknown or broken data is ignored. */
export function restoreDraft(editor, stored) {
  if (!stored || !editor.server) return editor;
  let data;
  try {
    data = typeof stored === 'string' ? JSON.parse(stored) : stored;
  } catch {
    return editor;
  }
  if (!data || data.v !== 1 || data.id !== editor.server.id || !data.edits || typeof data.edits !== 'object') return editor;
  const edits = { ...editor.edits };
  for (const s of SECTIONS) {
    const e = data.edits[s];
    if (!e || !('value' in e)) continue;
    edits[s] = { value: e.value, origin: 'origin' in e ? e.origin : sectionValue(editor.server.profile, s) };
  }
  return { ...editor, edits: withoutSettled(edits, editor.server) };
}

// ---------------------------------------------------------------- checks before sending

function issue(field, code, message = '') {
  return { field, code, message };
}

/** Client-side checks of one section's value; issues in the server's shape. */
export function validateSection(section, value) {
  const v = normalizeValue(section, value);
  const issues = [];
  const L = LIMITS;
  switch (section) {
    case 'title':
      if ([...v].length < L.titleMin || [...v].length > L.titleMax) issues.push(issue('title', 'length'));
      break;
    case 'policyFields':
      if (v.length > L.policyFieldsMax) issues.push(issue('policyFieldIds', 'tooMany'));
      break;
    case 'resources': {
      const raw = value && typeof value === 'object' ? value : {};
      const bad = (key) => raw[key] !== null && raw[key] !== undefined && raw[key] !== '' && numberOrNull(raw[key]) === null;
      if (bad('personnelFte') || (v.personnelFte !== null && (v.personnelFte < 0 || v.personnelFte > L.fteMax))) issues.push(issue('resources.personnelFte', 'outOfRange'));
      if (bad('durationMonths') || (v.durationMonths !== null && (!Number.isInteger(v.durationMonths) || v.durationMonths < 0 || v.durationMonths > L.monthsMax))) issues.push(issue('resources.durationMonths', 'outOfRange'));
      if (bad('moneyEuroPerYear') || (v.moneyEuroPerYear !== null && (!Number.isInteger(v.moneyEuroPerYear) || v.moneyEuroPerYear < 0 || v.moneyEuroPerYear > L.moneyMax))) issues.push(issue('resources.moneyEuroPerYear', 'outOfRange'));
      if (v.note.length > L.textMax) issues.push(issue('resources.note', 'tooLong'));
      break;
    }
    case 'budgetYears':
      if (v.length > 2 || v.some((y) => !Number.isInteger(y) || y < L.yearMin || y > L.yearMax) || (v.length === 2 && v[1] !== v[0] + 1)) {
        issues.push(issue('budgetYears', 'invalid'));
      }
      break;
    case 'indicators':
      if (v.length > L.indicatorsMax) issues.push(issue('indicators', 'tooMany'));
      v.forEach((ind, index) => {
        if (ind.name.length < 1 || ind.name.length > L.nameMax) issues.push(issue(`indicators[${index}].name`, 'length'));
        if (ind.unit.length > L.unitMax || ind.source.length > L.sourceMax) issues.push(issue(`indicators[${index}]`, 'tooLong'));
      });
      break;
    case 'responsibleBody':
    default:
      if (typeof v === 'string' && v.length > L.textMax) issues.push(issue(section, 'tooLong'));
  }
  return issues;
}

// ---------------------------------------------------------------- the list in a workspace

/** Inserts or replaces a recommendation in a list unless the held one is newer. */
export function upsertRecommendation(list, rec) {
  const items = Array.isArray(list) ? list : [];
  if (!rec || !rec.id) return items;
  const index = items.findIndex((r) => r.id === rec.id);
  if (index === -1) return [...items, rec];
  if (!isNewer(items[index], rec)) return items;
  const copy = items.slice();
  copy[index] = rec;
  return copy;
}

export const LIST_EVENTS = new Set(['recommendation.created', 'recommendation.updated', 'recommendation.finished', 'recommendation.signOffsWithdrawn']);

/** Applies a live event of the workspace topic to the list (null: not loaded yet). */
export function applyListEvent(list, event, workspaceId = null) {
  if (!event || !LIST_EVENTS.has(event.name) || !event.data || !event.data.id) return list;
  if (workspaceId && event.data.workspaceId && event.data.workspaceId !== workspaceId) return list;
  if (list === null) return list;
  return upsertRecommendation(list, event.data);
}

/** Drafts first, then finished ones; each newest change first. */
export function sortRecommendations(list) {
  return (Array.isArray(list) ? list : []).slice().sort((a, b) => {
    const rank = (r) => (r.status === 'finished' ? 1 : 0);
    return rank(a) - rank(b) || String(b.updatedAt ?? '').localeCompare(String(a.updatedAt ?? '')) || String(a.id).localeCompare(String(b.id));
  });
}

// ---------------------------------------------------------------- presence per section

/** The focus string a client sends: "<recommendationId>:<section>". */
export function focusKey(recommendationId, section) {
  return section ? `${recommendationId}:${section}` : null;
}

/**
 * Who else works on this recommendation, by section: { bySection: {section: [user]},
 * here: [user] (on the recommendation, no section), elsewhere: [user] (in the workspace) }.
 */
export function presenceBySection(users, recommendationId, selfId) {
  const bySection = {};
  const here = [];
  const elsewhere = [];
  const seen = new Set();
  for (const u of Array.isArray(users) ? users : []) {
    if (!u || !u.id || u.id === selfId || seen.has(u.id)) continue;
    seen.add(u.id);
    const focus = typeof u.focus === 'string' ? u.focus : null;
    const prefix = `${recommendationId}:`;
    if (focus && focus.startsWith(prefix)) {
      const section = focus.slice(prefix.length);
      if (SECTIONS.includes(section)) (bySection[section] ??= []).push(u);
      else here.push(u);
    } else {
      elsewhere.push(u);
    }
  }
  return { bySection, here, elsewhere };
}

// ---------------------------------------------------------------- sign-off

/** "coordinator" or "municipality:<id>" → { kind, organizationId }. */
export function parseCapacity(capacity) {
  const text = String(capacity ?? '');
  if (text === 'coordinator') return { kind: 'coordinator', organizationId: null };
  if (text.startsWith('municipality:')) return { kind: 'municipality', organizationId: text.slice('municipality:'.length) };
  return { kind: 'unknown', organizationId: null };
}

/** Applies a live sign-off event to a sign-off state ({slots, mayGiveAs, missing}). */
export function applySignOffEvent(signOff, event, revision) {
  if (!signOff || !event || !event.data) return signOff;
  const data = event.data;
  if (event.name === 'recommendation.signedOff') {
    if (typeof revision === 'number' && data.revision !== revision) return signOff;
    return {
      ...signOff,
      slots: signOff.slots.map((slot) => (slot.capacity === data.capacity ? { ...slot, given: data } : slot)),
      mayGiveAs: signOff.mayGiveAs.filter((c) => c !== data.capacity),
    };
  }
  if (event.name === 'recommendation.signOffWithdrawn') {
    return {
      ...signOff,
      slots: signOff.slots.map((slot) => (slot.capacity === data.capacity && slot.given && slot.given.userId === data.userId ? { ...slot, given: null } : slot)),
    };
  }
  return signOff;
}
