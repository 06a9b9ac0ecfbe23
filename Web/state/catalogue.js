// The public catalogue of finished recommendations: filters and their URL, and the
// reducers for the list and its live additions. Pure functions only.
//
// Filters live in the page's address (#/catalogue?policyField=…&year=…&q=…), with the
// same names as the API's query parameters, so a filtered view can be shared and the CSV
// download gets exactly the same selection.

export const RATING_LEVELS = Object.freeze(['highlyRelevant', 'relevant', 'lessRelevant']);
export const CATALOGUE_STATUSES = Object.freeze(['submitted', 'rated', 'adopted', 'rejected', 'deferred', 'inImplementation', 'implemented', 'stopped']);
export const FILTER_KEYS = Object.freeze(['policyField', 'workspace', 'year', 'status', 'rating', 'q']);
export const EMPTY_FILTERS = Object.freeze({ policyField: '', workspace: '', year: '', status: '', rating: '', q: '' });
export const Q_MAX = 200;

const ID = /^[A-Za-z0-9-]{1,64}$/;
const REFERENCE = /^HE-\d{4}-\d{3,}$/;

/** Whether a text is a catalogue reference such as HE-2026-014. */
export function isReference(text) {
  return REFERENCE.test(String(text ?? ''));
}

/** The query part of a hash route ("#/catalogue?year=2026" → "year=2026"). */
export function hashQuery(hash) {
  const text = String(hash ?? '');
  const i = text.indexOf('?');
  return i === -1 ? '' : text.slice(i + 1);
}

/** Filters from URLSearchParams or a query string; anything invalid is dropped. */
export function filtersFromQuery(query) {
  const params = query instanceof URLSearchParams ? query : new URLSearchParams(String(query ?? ''));
  const get = (k) => (params.get(k) ?? '').trim();
  const policyField = get('policyField');
  const workspace = get('workspace');
  const year = get('year');
  const status = get('status');
  const rating = get('rating');
  const q = (params.get('q') ?? '').replace(/\s+/g, ' ').trim().slice(0, Q_MAX);
  return {
    policyField: ID.test(policyField) ? policyField : '',
    workspace: ID.test(workspace) ? workspace : '',
    year: /^\d{4}$/.test(year) && Number(year) >= 2000 && Number(year) <= 2100 ? year : '',
    status: CATALOGUE_STATUSES.includes(status) ? status : '',
    rating: RATING_LEVELS.includes(rating) ? rating : '',
    q,
  };
}

/**
 * The query string for filters (only what is set, in a fixed order). Spaces are written
 * as %20, not "+": the hub reads query values percent-decoded only, so "+" would stay a
 * plus sign in the full-text search.
 */
export function filtersToQuery(filters) {
  const parts = [];
  for (const key of FILTER_KEYS) {
    const value = String(filters?.[key] ?? '').trim();
    if (value) parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

/** The page's address for filters. */
export function catalogueHash(filters) {
  const query = filtersToQuery(filters);
  return query ? `#/catalogue?${query}` : '#/catalogue';
}

/** The API path for filters (JSON list, or the CSV with `csv: true`). */
export function cataloguePath(filters, { csv = false } = {}) {
  const query = filtersToQuery(filters);
  const base = csv ? '/api/v1/catalogue.csv' : '/api/v1/catalogue';
  return query ? `${base}?${query}` : base;
}

export function hasFilters(filters) {
  return FILTER_KEYS.some((k) => String(filters?.[k] ?? '').trim() !== '');
}

export function sameFilters(a, b) {
  return FILTER_KEYS.every((k) => String(a?.[k] ?? '') === String(b?.[k] ?? ''));
}

/** Lower case without accents, as the server compares full-text search. */
export function fold(text) {
  return String(text ?? '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function entryText(entry) {
  const p = entry.profile ?? {};
  const parts = [
    p.title, p.situation, p.dataBasis, p.goals, p.measures, p.targetGroups, p.responsibleBody, p.timeline,
    p.resources?.note, (p.indicators ?? []).map((i) => `${i.name} ${i.unit} ${i.source}`).join(' '),
    (p.policyFieldIds ?? []).join(' '), (p.impactKinds ?? []).join(' '), (p.budgetYears ?? []).join('/'),
    entry.reference, entry.workspaceName,
  ];
  return fold(parts.filter(Boolean).join(' '));
}

/**
 * Whether an entry matches the filters, for entries that arrive live. The server decides
 * for lists it sends; this mirrors it (full text: every word must occur).
 */
export function matchesFilters(entry, filters) {
  if (!entry) return false;
  const f = filters ?? EMPTY_FILTERS;
  if (f.policyField && !(entry.profile?.policyFieldIds ?? []).includes(f.policyField)) return false;
  if (f.workspace && entry.workspaceId !== f.workspace) return false;
  if (f.year && String(entry.year) !== String(f.year)) return false;
  if (f.status && entry.status !== f.status) return false;
  if (f.rating && entry.consensus?.level !== f.rating) return false;
  const words = fold(f.q).split(/\s+/).filter(Boolean);
  if (words.length) {
    const haystack = entryText(entry);
    if (!words.every((w) => haystack.includes(w))) return false;
  }
  return true;
}

/** Newest reference first, as the server lists them (HE-2026-010 before HE-2026-009). */
export function compareReferences(a, b) {
  const pa = /^HE-(\d{4})-(\d+)$/.exec(a?.reference ?? '');
  const pb = /^HE-(\d{4})-(\d+)$/.exec(b?.reference ?? '');
  if (!pa || !pb) return String(b?.reference ?? '').localeCompare(String(a?.reference ?? ''));
  return Number(pb[1]) - Number(pa[1]) || Number(pb[2]) - Number(pa[2]);
}

export function initialCatalogue() {
  return { items: null, cursor: null, facets: { workspaces: {}, years: [] } };
}

/** Workspaces (id → name) and years seen in the catalogue, for the filter choices. */
export function facetsOf(items, previous = null) {
  const workspaces = { ...(previous?.workspaces ?? {}) };
  const years = new Set(previous?.years ?? []);
  for (const e of Array.isArray(items) ? items : []) {
    if (e.workspaceId) workspaces[e.workspaceId] = e.workspaceName || workspaces[e.workspaceId] || e.workspaceId;
    if (e.year) years.add(Number(e.year));
  }
  return { workspaces, years: [...years].sort((a, b) => b - a) };
}

/** A loaded list (the answer of GET /api/v1/catalogue). */
export function applyList(state, { items, cursor }, { facets = false } = {}) {
  const list = (Array.isArray(items) ? items : []).slice().sort(compareReferences);
  return {
    ...state,
    items: list,
    cursor: cursor ?? state.cursor,
    facets: facets ? facetsOf(list) : facetsOf(list, state.facets),
  };
}

/**
 * A live event of the `catalogue` topic: `catalogue.entryAdded` adds an entry that
 * matches the filters; `catalogue.consensusSet` replaces it (and drops it when it no
 * longer matches). Returns { state, change: 'added'|'updated'|'removed'|null }.
 */
export function applyCatalogueEvent(state, event, filters) {
  if (!event || !event.data || !event.data.reference) return { state, change: null };
  if (event.name !== 'catalogue.entryAdded' && event.name !== 'catalogue.consensusSet') return { state, change: null };
  const entry = event.data;
  const facets = facetsOf([entry], state.facets);
  if (state.items === null) return { state: { ...state, facets }, change: null };
  const index = state.items.findIndex((e) => e.reference === entry.reference);
  const matches = matchesFilters(entry, filters);
  let items = state.items;
  let change = null;
  if (index === -1 && matches) {
    items = [...items, entry].sort(compareReferences);
    change = 'added';
  } else if (index !== -1 && matches) {
    if (JSON.stringify(items[index]) !== JSON.stringify(entry)) {
      items = items.slice();
      items[index] = entry;
      change = 'updated';
    }
  } else if (index !== -1 && !matches) {
    items = items.filter((e) => e.reference !== entry.reference);
    change = 'removed';
  }
  return { state: { ...state, items, facets }, change };
}
