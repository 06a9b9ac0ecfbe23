// "Forgot password": asking for a link by mail (#/forgot) and setting a new password with
// it (#/reset/<token>). Pure functions only; views/password-reset.js renders the results.
//
// The hub answers a request the same way whether or not the address has an account, and
// so does the page: it never says whether an account exists.

import { looksLikeEmail } from './identity.js';

/** The token of a reset route "#/reset/<token>", or null when it cannot be one. */
export function resetToken(hashPath) {
  const m = /^\/reset\/([A-Za-z0-9_~.-]{8,128})$/.exec(String(hashPath ?? ''));
  return m ? m[1] : null;
}

/** Whether a hash path is a reset route at all (a malformed token still shows the reset page). */
export function isResetPath(hashPath) {
  return /^\/reset(\/|$)/.test(String(hashPath ?? ''));
}

/** Client-side check of the request form; returns { issues, body }. */
export function validateResetRequest({ email }) {
  const mail = String(email ?? '').trim();
  const issues = [];
  if (!mail) issues.push({ field: 'email', code: 'required', message: '' });
  else if (!looksLikeEmail(mail)) issues.push({ field: 'email', code: 'invalid', message: '' });
  return { issues, body: { email: mail } };
}

/**
 * Client-side check of the new-password form; returns { issues, body }. The password
 * rules themselves (length, common passwords, the address) are the server's.
 */
export function validateNewPassword({ token, newPassword, passwordConfirm }) {
  const issues = [];
  const password = String(newPassword ?? '');
  if (!password.trim()) issues.push({ field: 'newPassword', code: 'required', message: '' });
  else if (password !== String(passwordConfirm ?? '')) issues.push({ field: 'passwordConfirm', code: 'mismatch', message: '' });
  return { issues, body: { token: String(token ?? ''), newPassword: password } };
}

/**
 * What an answer of POST /api/v1/password-reset means for the page:
 * 'sent' (202: a mail is on its way if there is an account), 'unavailable' (the
 * installation sends no mail), 'rateLimited', 'fields' (field errors) or 'error'.
 */
export function requestOutcome(err) {
  if (!err) return 'sent';
  if (err.code === 'passwordReset.unavailable') return 'unavailable';
  if (err.code === 'auth.rateLimited' || err.status === 429) return 'rateLimited';
  if (Array.isArray(err.fields) && err.fields.length) return 'fields';
  return 'error';
}

/**
 * What an answer of POST /api/v1/password-reset/confirm means: 'done' (204), 'invalid'
 * (the link is unknown, used or expired), 'fields' (the password is refused) or 'error'.
 */
export function confirmOutcome(err) {
  if (!err) return 'done';
  if (err.code === 'passwordReset.invalid' || err.status === 404) return 'invalid';
  if (Array.isArray(err.fields) && err.fields.length) return 'fields';
  return 'error';
}
