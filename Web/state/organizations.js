// Organizations that members speak for (district offices, municipalities, agencies,
// councils). Administrators keep the list (#/admin/organizations); coordinators pick from
// it when they invite people or change a member. Pure functions only: no DOM, no fetch.
//
// Client-side checks only catch what needs no server. Issues have the server's shape,
// [{field, code, message}], but the organization form's fields are called
// `organizationName` and `organizationKind` in the client, so that their messages do not
// collide with other forms' `name` (a workspace's, a token's).

export const ORGANIZATION_KINDS = ['district', 'municipality', 'agency', 'council', 'other'];
/** The length of a name after its whitespace is collapsed, as the server counts it. */
export const NAME_MIN = 2;
export const NAME_MAX = 160;

/** A name as the server stores it: trimmed, runs of whitespace collapsed to one space. */
export function normalizeName(value) {
  return String(value ?? '').trim().split(/\s+/).filter(Boolean).join(' ');
}

/** Whether a kind is one the server knows. */
export function isKind(kind) {
  return ORGANIZATION_KINDS.includes(kind);
}

const byName = (compare) => (a, b) => compare(a.name ?? '', b.name ?? '') || (String(a.id) < String(b.id) ? -1 : 1);
const defaultCompare = (a, b) => String(a).localeCompare(String(b), 'de', { sensitivity: 'base', numeric: true });

/** Organizations sorted by name (the list may come in any order). Invalid entries are dropped. */
export function sortOrganizations(items, compare = defaultCompare) {
  const list = Array.isArray(items) ? items.filter((o) => o && o.id) : [];
  return list.slice().sort(byName(compare));
}

/**
 * The organizations grouped by kind, in the order of ORGANIZATION_KINDS, each group sorted
 * by name; empty groups are left out. Unknown kinds count as `other`.
 */
export function groupByKind(items, compare = defaultCompare) {
  const groups = new Map(ORGANIZATION_KINDS.map((k) => [k, []]));
  for (const o of sortOrganizations(items, compare)) groups.get(isKind(o.kind) ? o.kind : 'other').push(o);
  return ORGANIZATION_KINDS.filter((k) => groups.get(k).length).map((kind) => ({ kind, items: groups.get(kind) }));
}

/** Inserts or replaces one organization (the server's answer). The input is not changed. */
export function upsertOrganization(items, organization) {
  const list = Array.isArray(items) ? items : [];
  if (!organization || !organization.id) return list;
  const index = list.findIndex((o) => o && o.id === organization.id);
  if (index === -1) return [...list, organization];
  const copy = list.slice();
  copy[index] = { ...list[index], ...organization };
  return copy;
}

/** The name of the organization with `id`, or null (no id, or not in the list). */
export function organizationName(items, id) {
  if (!id || !Array.isArray(items)) return null;
  return items.find((o) => o && o.id === id)?.name ?? null;
}

/**
 * The organizations to offer in a select: the list, plus the current choice when the list
 * does not hold it (not loaded, or removed meanwhile), so that saving keeps it.
 */
export function withCurrent(items, current) {
  const list = Array.isArray(items) ? items.filter((o) => o && o.id) : [];
  if (!current || !current.id || list.some((o) => o.id === current.id)) return list;
  return [...list, { id: current.id, name: current.name || current.id, kind: isKind(current.kind) ? current.kind : 'other' }];
}

/** The organization of a select's value: an id, or null for "none". */
export function selectedId(value) {
  const text = String(value ?? '').trim();
  return text === '' ? null : text;
}

/** Client-side check of the create and edit forms; returns { issues, body }. */
export function validateOrganization({ name, kind }) {
  const issues = [];
  const clean = normalizeName(name);
  if (!clean) issues.push({ field: 'organizationName', code: 'required', message: '' });
  else if ([...clean].length < NAME_MIN || [...clean].length > NAME_MAX) issues.push({ field: 'organizationName', code: 'invalid', message: '' });
  if (!isKind(kind)) issues.push({ field: 'organizationKind', code: 'required', message: '' });
  return { issues, body: { name: clean, kind } };
}

/**
 * The PATCH body for an edit: only what changed (an empty object when nothing did).
 * Names are compared as the server stores them; a change of case is a change.
 */
export function organizationPatch(before, { name, kind }) {
  const patch = {};
  const clean = normalizeName(name);
  if (!before || clean !== before.name) patch.name = clean;
  if (!before || kind !== before.kind) patch.kind = kind;
  return patch;
}

const SERVER_FIELDS = { name: 'organizationName', kind: 'organizationKind' };

/**
 * The issues to show for an error answer of POST/PATCH /api/v1/organizations: field errors
 * with the client's field names, and `409 organization.duplicate` as an error of the name.
 * Null when the error is not about the form's fields.
 */
export function organizationIssues(err) {
  if (!err) return null;
  if (err.code === 'organization.duplicate') return [{ field: 'organizationName', code: 'duplicate', message: '' }];
  const fields = Array.isArray(err.fields) ? err.fields : [];
  if (!fields.length) return null;
  return fields.map((f) => {
    const base = String(f.field ?? '').split(/[.[]/)[0];
    return { ...f, field: SERVER_FIELDS[base] ?? f.field };
  });
}
