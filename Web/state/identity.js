// Identity in the client: sign-in with a second factor, the account page (password,
// TOTP, sessions, personal tokens) and accepting invitations. Pure functions only: no
// DOM, no fetch; app.js and views/ call them and render the results.
//
// Client-side checks only catch what needs no server (empty fields, a mistyped
// confirmation, a code that cannot be six digits). Their results have the server's
// shape, [{field, code, message}], so one renderer shows both.

export const TOTP_DIGITS = 6;
export const TOKEN_SCOPES = ['read', 'write'];
export const TOKEN_MAX_DAYS = 365;
export const TOKEN_DEFAULT_DAYS = 90;
export const WORKSPACE_ROLES = ['coordinator', 'member', 'observer'];

/** What the answer of POST /api/v1/session asks for next: 'secondFactor' or 'done'. */
export function nextSignInStep(answer) {
  return answer && answer.secondFactor === 'required' ? 'secondFactor' : 'done';
}

/**
 * A typed TOTP code as the server wants it: digits only. People paste "123 456" or
 * "123-456" from apps that group the digits; those separators are dropped.
 */
export function normalizeTotpCode(value) {
  return String(value ?? '').replace(/[\s\u00a0-]/g, '');
}

export function isTotpCode(value) {
  return new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(normalizeTotpCode(value));
}

/** A recovery code as typed: trimmed, lower case, inner spaces dropped ("ABCD-efgh-ijkl "). */
export function normalizeRecoveryCode(value) {
  return String(value ?? '').trim().toLowerCase().replace(/\s+/g, '');
}

/** The body of POST /api/v1/session/second-factor for what was typed. */
export function secondFactorBody(value, useRecovery) {
  return useRecovery ? { recoveryCode: normalizeRecoveryCode(value) } : { code: normalizeTotpCode(value) };
}

/** Client-side check of the second-factor form. */
export function validateSecondFactor(value, useRecovery) {
  const field = useRecovery ? 'recoveryCode' : 'code';
  if (!String(value ?? '').trim()) return [{ field, code: 'required', message: '' }];
  if (!useRecovery && !isTotpCode(value)) return [{ field, code: 'totpFormat', message: '' }];
  return [];
}

/** A base32 secret in groups of four for reading and typing: "JBSW Y3DP EHPK 3PXP". */
export function groupSecret(secret, size = 4) {
  const clean = String(secret ?? '').replace(/[\s=]/g, '').toUpperCase();
  const groups = [];
  for (let i = 0; i < clean.length; i += size) groups.push(clean.slice(i, i + size));
  return groups.join(' ');
}

/** Reads the secret back from an otpauth:// URI (null when there is none). */
export function secretFromOtpauth(uri) {
  const m = /[?&]secret=([^&#]+)/i.exec(String(uri ?? ''));
  return m ? decodeURIComponent(m[1]).toUpperCase() : null;
}

/** Only otpauth://totp/… URIs become a link; anything else is shown as text. */
export function isOtpauthUri(uri) {
  return /^otpauth:\/\/totp\/[^\s]+$/i.test(String(uri ?? ''));
}

/**
 * The text file people download with their recovery codes. `labels` carries the
 * translated sentences, so the file is in the UI's language.
 */
export function recoveryCodesText(codes, { email = '', issuedAt = '', labels = {} } = {}) {
  const lines = [];
  lines.push(labels.title ?? 'Roundtable recovery codes');
  if (email) lines.push(email);
  if (issuedAt) lines.push(issuedAt);
  lines.push('');
  if (labels.explain) {
    lines.push(labels.explain);
    lines.push('');
  }
  (Array.isArray(codes) ? codes : []).forEach((code, i) => {
    lines.push(`${String(i + 1).padStart(2, ' ')}. ${code}`);
  });
  lines.push('');
  return lines.join('\r\n');
}

/** A safe file name for the download: roundtable-recovery-codes-<local part>.txt */
export function recoveryCodesFileName(email) {
  const local = String(email ?? '').split('@')[0].toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return `roundtable-recovery-codes${local ? `-${local}` : ''}.txt`;
}

/** Sessions to list: the current one first, then the most recently seen. */
export function sortSessions(items) {
  const list = Array.isArray(items) ? items.filter((s) => s && s.id) : [];
  const time = (s) => Date.parse(s.lastSeenAt ?? s.createdAt ?? '') || 0;
  return list.slice().sort((a, b) => (Number(Boolean(b.current)) - Number(Boolean(a.current))) || (time(b) - time(a)) || (a.id < b.id ? -1 : 1));
}

/** Tokens to list: newest first. */
export function sortTokens(items) {
  const list = Array.isArray(items) ? items.filter((x) => x && x.id) : [];
  const time = (x) => Date.parse(x.createdAt ?? '') || 0;
  return list.slice().sort((a, b) => (time(b) - time(a)) || (a.id < b.id ? -1 : 1));
}

/** Removes the item with `id` from a list (the same list when it was not there). */
export function withoutId(items, id) {
  const list = Array.isArray(items) ? items : [];
  return list.some((x) => x && x.id === id) ? list.filter((x) => x.id !== id) : list;
}

/** Inserts or replaces by id. */
export function upsertById(items, item) {
  const list = Array.isArray(items) ? items : [];
  if (!item || !item.id) return list;
  const index = list.findIndex((x) => x && x.id === item.id);
  if (index === -1) return [...list, item];
  const copy = list.slice();
  copy[index] = { ...list[index], ...item };
  return copy;
}

/** A token as listed, from the answer of POST /api/v1/me/tokens (the secret dropped). */
export function tokenListEntry(created) {
  if (!created || !created.id) return null;
  const { token, ...rest } = created;
  return { lastSeenAt: null, ...rest };
}

function required(value) {
  return String(value ?? '').trim() !== '';
}

/** Client-side check of the change-password form. */
export function validatePasswordChange({ currentPassword, newPassword }) {
  const issues = [];
  if (!required(currentPassword)) issues.push({ field: 'currentPassword', code: 'required', message: '' });
  if (!required(newPassword)) issues.push({ field: 'newPassword', code: 'required', message: '' });
  else if (newPassword === currentPassword) issues.push({ field: 'newPassword', code: 'sameAsCurrent', message: '' });
  return issues;
}

/** Client-side check of the new-account form on the invitation page. */
export function validateNewAccount({ displayName, password, passwordConfirm }) {
  const issues = [];
  if (!required(displayName)) issues.push({ field: 'displayName', code: 'required', message: '' });
  if (!required(password)) issues.push({ field: 'password', code: 'required', message: '' });
  if (required(password) && password !== passwordConfirm) issues.push({ field: 'passwordConfirm', code: 'mismatch', message: '' });
  return issues;
}

/** Parses the expiry field: a whole number of days, 1…365, or null. */
export function parseDays(value) {
  const text = String(value ?? '').trim();
  if (!/^\d{1,4}$/.test(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= TOKEN_MAX_DAYS ? n : null;
}

/** Client-side check of the new-token form; returns { issues, body }. */
export function validateTokenForm({ name, scope, expiresInDays }) {
  const issues = [];
  const trimmed = String(name ?? '').trim();
  if (!trimmed) issues.push({ field: 'name', code: 'required', message: '' });
  if (!TOKEN_SCOPES.includes(scope)) issues.push({ field: 'scope', code: 'required', message: '' });
  const days = parseDays(expiresInDays);
  if (days === null) issues.push({ field: 'expiresInDays', code: 'outOfRange', message: '' });
  return { issues, body: { name: trimmed, scope, expiresInDays: days } };
}

/** A rough check of an email address, so obvious typos are caught before the server. */
export function looksLikeEmail(value) {
  return /^[^\s@<>"]+@[^\s@<>".]+(\.[^\s@<>".]+)+$/.test(String(value ?? '').trim());
}

/**
 * Client-side check of the invitation form; returns { issues, body }. `organizationId` is
 * the value of the organization select ('' for none, which leaves it out of the body).
 */
export function validateInvitation({ email, role, organizationId }) {
  const issues = [];
  const mail = String(email ?? '').trim();
  if (!mail) issues.push({ field: 'email', code: 'required', message: '' });
  else if (!looksLikeEmail(mail)) issues.push({ field: 'email', code: 'invalid', message: '' });
  if (!WORKSPACE_ROLES.includes(role)) issues.push({ field: 'role', code: 'required', message: '' });
  const org = String(organizationId ?? '').trim();
  const body = { email: mail, role };
  if (org) body.organizationId = org;
  return { issues, body };
}

/** The body of PUT …/members/{userId}: the role and the organization (null for none). */
export function memberBody(role, organizationId) {
  const org = String(organizationId ?? '').trim();
  return { role, organizationId: org || null };
}

/**
 * The invitation link as something people can pass on: absolute, on this origin. The
 * server gives "/#/invitation/<token>" or an absolute URL; anything that is not http(s)
 * is refused (null).
 */
export function absoluteLink(link, origin) {
  if (!link) return null;
  try {
    const url = new URL(String(link), origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.href;
  } catch {
    return null;
  }
}

/** The token of an invitation route "#/invitation/<token>". */
export function invitationToken(hashPath) {
  const m = /^\/invitation\/([A-Za-z0-9_~.-]{8,256})$/.exec(String(hashPath ?? ''));
  return m ? m[1] : null;
}

/** The pending invitation as listed (the one-time link dropped). */
export function invitationListEntry(created) {
  if (!created || !created.id) return null;
  const { link, delivery, ...rest } = created;
  return rest;
}

/**
 * Whether an error answer means the session is gone (sign in again), as opposed to a
 * wrong password or code typed into a form on a live session.
 */
export const FORM_AUTH_CODES = new Set(['auth.invalidCredentials', 'auth.invalidSecondFactor', 'auth.wrongPassword']);
export function isSessionGone(err) {
  return Boolean(err && err.status === 401 && !FORM_AUTH_CODES.has(err.code));
}

/** Whether the server refused an administrator function for want of a second factor. */
export function needsSecondFactor(err) {
  return Boolean(err && err.code === 'auth.secondFactorRequired');
}

/**
 * What the invitation page shows: 'accept' (signed in as the invited address),
 * 'signIn' (an account exists), 'create' (no account yet), or 'otherAccount' (signed
 * in as someone else).
 */
export function invitationMode(invitation, sessionUser) {
  if (!invitation) return null;
  const invited = String(invitation.email ?? '').toLowerCase();
  if (sessionUser) {
    return String(sessionUser.email ?? '').toLowerCase() === invited ? 'accept' : 'otherAccount';
  }
  return invitation.accountExists ? 'signIn' : 'create';
}
