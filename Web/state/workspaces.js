// The workspace directory: workspaces and policy fields, both carried by the live topic
// `directory`. Pure functions; every change returns a new state object, and a call
// that changes nothing returns the state it was given (so callers can skip rendering).
//
// State: { workspaces: {id: Workspace}, policyFields: {id: PolicyField}, cursor, loaded }

export const KINDS = ['focusGroup', 'taskForce', 'planningTeam'];

export function initialDirectory() {
  return { workspaces: {}, policyFields: {}, cursor: null, loaded: false };
}

function byId(items) {
  const out = {};
  for (const item of Array.isArray(items) ? items : []) {
    if (item && item.id) out[item.id] = item;
  }
  return out;
}

/**
 * The cursor to subscribe with after loading several snapshots of one topic: the
 * oldest one, so no event is missed (events the newer snapshot already holds are
 * ignored by the version checks below).
 */
export function mergeCursors(...cursors) {
  const valid = cursors.filter((c) => c && typeof c.seq === 'number');
  if (valid.length === 0) return null;
  const epoch = valid[0].epoch;
  if (valid.some((c) => c.epoch !== epoch)) return null; // mixed epochs: start at the head
  const oldest = valid.reduce((a, b) => (b.seq < a.seq ? b : a));
  return { epoch: oldest.epoch, seq: oldest.seq };
}

/** Replaces everything with a snapshot: {workspaces:{items,cursor}, policyFields:{items,cursor}}. */
export function applySnapshot(state, { workspaces, policyFields }) {
  return {
    ...state,
    workspaces: workspaces ? byId(workspaces.items) : state.workspaces,
    policyFields: policyFields ? byId(policyFields.items) : state.policyFields,
    cursor: mergeCursors(workspaces?.cursor, policyFields?.cursor),
    loaded: true,
  };
}

/** Inserts or replaces an item unless the held one is as new or newer. */
export function upsertVersioned(map, item) {
  if (!item || !item.id) return map;
  const held = map[item.id];
  if (held && typeof held.version === 'number' && typeof item.version === 'number' && held.version >= item.version) {
    return map;
  }
  return { ...map, [item.id]: item };
}

export const WORKSPACE_EVENTS = new Set(['workspace.created', 'workspace.updated', 'workspace.archived', 'workspace.restored']);

/** Applies one live event of the `directory` topic. */
export function applyEvent(state, event) {
  if (!event || !event.name) return state;
  let next = state;
  if (WORKSPACE_EVENTS.has(event.name)) {
    const workspaces = upsertVersioned(state.workspaces, event.data);
    if (workspaces !== state.workspaces) next = { ...state, workspaces };
  } else if (event.name === 'policyField.updated' || event.name === 'policyField.created') {
    const policyFields = upsertVersioned(state.policyFields, event.data);
    if (policyFields !== state.policyFields) next = { ...state, policyFields };
  }
  if (typeof event.seq === 'number' && next.cursor !== undefined) {
    const cursor = { epoch: event.epoch ?? next.cursor?.epoch ?? null, seq: event.seq };
    if (!next.cursor || cursor.seq > next.cursor.seq) next = { ...next, cursor };
  }
  return next;
}

export const DEFAULT_FILTERS = Object.freeze({ kind: '', policyFieldId: '', showArchived: false });

/** Parses filters from URLSearchParams-like input (e.g. the hash's query). */
export function filtersFromParams(params) {
  const kind = params.get('kind') ?? '';
  return {
    kind: KINDS.includes(kind) ? kind : '',
    policyFieldId: params.get('field') ?? '',
    showArchived: params.get('archived') === '1',
  };
}

export function filtersToParams(filters) {
  const params = new URLSearchParams();
  if (filters.kind) params.set('kind', filters.kind);
  if (filters.policyFieldId) params.set('field', filters.policyFieldId);
  if (filters.showArchived) params.set('archived', '1');
  return params;
}

const defaultCompare = (a, b) => String(a).localeCompare(String(b), 'de', { sensitivity: 'base', numeric: true });

/** The workspaces to list: filtered, active before archived, then by name. */
export function selectWorkspaces(state, filters = DEFAULT_FILTERS, compare = defaultCompare) {
  return Object.values(state.workspaces)
    .filter((ws) => filters.showArchived || !ws.archived)
    .filter((ws) => !filters.kind || ws.kind === filters.kind)
    .filter((ws) => !filters.policyFieldId || (ws.policyFieldIds ?? []).includes(filters.policyFieldId))
    .sort((a, b) => (Number(Boolean(a.archived)) - Number(Boolean(b.archived))) || compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

/** Policy fields sorted by their name in the language. */
export function selectPolicyFields(state, lang = 'de', compare = defaultCompare) {
  const nameOf = (pf) => policyFieldName(pf, lang);
  return Object.values(state.policyFields).sort((a, b) => compare(nameOf(a), nameOf(b)));
}

export function policyFieldName(pf, lang = 'de') {
  if (!pf) return '';
  return (lang === 'en' ? pf.nameEn || pf.nameDe : pf.nameDe || pf.nameEn) || pf.key || '';
}
