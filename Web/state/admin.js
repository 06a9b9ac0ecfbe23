// Administration: the user list with its two flags and the audit log. Pure functions.

export const AUDIT_TYPES = [
  'auth.ok',
  'auth.failed',
  'auth.secondFactorOk',
  'auth.secondFactorFailed',
  'auth.signOut',
  'password.changed',
  'session.revoked',
  'totp.enabled',
  'totp.disabled',
  'token.created',
  'token.revoked',
  'role.changed',
  'member.changed',
  'invitation.created',
  'invitation.accepted',
  'invitation.revoked',
  'password.resetRequested',
  'password.resetIssued',
  'password.reset',
  'organization.created',
  'organization.updated',
];

export const AUDIT_LIMITS = [50, 100, 200, 500];
export const DEFAULT_AUDIT_FILTERS = Object.freeze({ type: '', actor: '', limit: 100 });

/** Normalizes audit filters: an unknown type means all, the limit is one of AUDIT_LIMITS. */
export function normalizeAuditFilters(filters = {}) {
  const type = AUDIT_TYPES.includes(filters.type) ? filters.type : '';
  const actor = typeof filters.actor === 'string' ? filters.actor.trim() : '';
  const limit = AUDIT_LIMITS.includes(Number(filters.limit)) ? Number(filters.limit) : DEFAULT_AUDIT_FILTERS.limit;
  return { type, actor, limit };
}

/** The path of GET /api/v1/audit for the filters (empty filters are left out). */
export function auditPath(filters = {}) {
  const f = normalizeAuditFilters(filters);
  const params = new URLSearchParams();
  if (f.type) params.set('type', f.type);
  if (f.actor) params.set('actor', f.actor);
  params.set('limit', String(f.limit));
  return `/api/v1/audit?${params.toString()}`;
}

/** Audit filters from the query of the hash route (#/admin/audit?type=…). */
export function auditFiltersFromParams(params) {
  return normalizeAuditFilters({ type: params.get('type') ?? '', actor: params.get('actor') ?? '', limit: params.get('limit') ?? '' });
}

export function auditFiltersToParams(filters) {
  const f = normalizeAuditFilters(filters);
  const params = new URLSearchParams();
  if (f.type) params.set('type', f.type);
  if (f.actor) params.set('actor', f.actor);
  if (f.limit !== DEFAULT_AUDIT_FILTERS.limit) params.set('limit', String(f.limit));
  return params;
}

/** Audit entries newest first (the server sends them so; this keeps it true after merges). */
export function sortAudit(items) {
  // Ids may be numbers (the hub's log sequence) or strings; 0 is a valid id.
  const list = Array.isArray(items) ? items.filter((x) => x && x.id !== undefined && x.id !== null) : [];
  const time = (x) => Date.parse(x.at ?? '') || 0;
  const byId = (a, b) => {
    if (typeof a.id === 'number' && typeof b.id === 'number') return b.id - a.id;
    return String(b.id) < String(a.id) ? -1 : String(b.id) > String(a.id) ? 1 : 0;
  };
  return list.slice().sort((a, b) => (time(b) - time(a)) || byId(a, b));
}

/** The audit detail as short text: strings as they are, objects as "key: value" pairs. */
export function auditDetailText(detail) {
  if (detail === null || detail === undefined || detail === '') return '';
  if (typeof detail === 'string') return detail;
  if (typeof detail !== 'object') return String(detail);
  if (Array.isArray(detail)) return detail.map(auditDetailText).filter(Boolean).join(', ');
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
}

/**
 * The audit subject as text: an account's id becomes "name (email)" when the account is known,
 * anything else is shown as recorded.
 */
export function auditSubjectText(subject, users = []) {
  if (typeof subject === 'string') {
    const user = users.find((u) => u.id === subject);
    if (user) return `${user.displayName} (${user.email})`;
  }
  return auditDetailText(subject);
}

/** The first characters of an address hash: enough to tell entries apart, no more. */
export function shortHash(hash, length = 10) {
  const text = String(hash ?? '');
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

/** Users sorted by display name, then email. */
export function sortUsers(users, compare = (a, b) => String(a).localeCompare(String(b), 'de', { sensitivity: 'base' })) {
  const list = Array.isArray(users) ? users.filter((u) => u && u.id) : [];
  return list.slice().sort((a, b) => compare(a.displayName ?? '', b.displayName ?? '') || compare(a.email ?? '', b.email ?? ''));
}

/** Replaces one user in the list with the server's answer (same list when unknown). */
export function applyUser(users, user) {
  if (!user || !user.id || !Array.isArray(users)) return users;
  const index = users.findIndex((u) => u.id === user.id);
  if (index === -1) return users;
  const copy = users.slice();
  copy[index] = { ...users[index], ...user };
  return copy;
}

/** The PATCH body for a toggled flag: {isAdmin} or {isSteering}. */
export function flagPatch(flag, value) {
  if (flag !== 'isAdmin' && flag !== 'isSteering') throw new Error(`unknown flag ${flag}`);
  return { [flag]: Boolean(value) };
}

/** The message key that reports a flag change. */
export function flagMessageKey(flag, value) {
  if (flag === 'isAdmin') return value ? 'admin.users.madeAdmin' : 'admin.users.unmadeAdmin';
  return value ? 'admin.users.madeSteering' : 'admin.users.unmadeSteering';
}
