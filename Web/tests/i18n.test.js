import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messages, translate, format, formatDate, LANGUAGES } from '../lib/i18n.js';

test('English is complete and has no extra keys', () => {
  const de = Object.keys(messages.de).sort();
  const en = Object.keys(messages.en).sort();
  assert.deepEqual(en, de);
});

test('placeholders match between languages', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(messages.de)) {
    assert.deepEqual(names(messages.en[key]), names(messages.de[key]), key);
  }
});

test('no empty messages', () => {
  for (const lang of LANGUAGES) {
    for (const [key, text] of Object.entries(messages[lang])) assert.ok(text.trim().length > 0, `${lang}:${key}`);
  }
});

test('translate fills params and falls back', () => {
  assert.equal(translate('de', 'live.created', { name: 'X' }), 'Arbeitsgruppe „X“ wurde angelegt.');
  assert.equal(translate('en', 'live.created', { name: 'X' }), 'Working group “X” was created.');
  assert.equal(translate('fr', 'conn.open'), 'Verbunden');
  assert.equal(translate('de', 'no.such.key'), 'no.such.key');
  assert.equal(format('{a} {b}', { a: 1 }), '1 {b}');
});

test('connection texts', () => {
  assert.equal(translate('de', 'conn.open'), 'Verbunden');
  assert.equal(translate('de', 'conn.reconnecting'), 'Verbindung wird wiederhergestellt…');
});

test('formatDate renders calendar dates without timezone drift', () => {
  assert.equal(formatDate('2025-07-31', 'de'), '31. Juli 2025');
  assert.equal(formatDate('2025-07-31', 'en'), '31 July 2025');
  assert.equal(formatDate('', 'de'), '');
  assert.equal(formatDate('garbage', 'de'), 'garbage');
});

test('server field errors are shown in the UI language by code', async () => {
  const { localizeFieldError } = await import('../lib/i18n.js');
  const tooShort = { field: 'name', code: 'tooShort', message: 'The name needs at least 3 characters.' };
  assert.equal(localizeFieldError(tooShort, 'de'), 'Bitte geben Sie mindestens 3 Zeichen ein.');
  assert.equal(localizeFieldError(tooShort, 'en'), 'Please enter at least 3 characters.');
  assert.equal(localizeFieldError({ field: 'endsOn', code: 'required', message: 'A task force needs an end date.' }, 'de'), 'Eine Task Force braucht ein Enddatum.');
  assert.equal(localizeFieldError({ field: 'description', code: 'required', message: 'x' }, 'de'), 'Bitte füllen Sie dieses Feld aus.');
  assert.equal(localizeFieldError({ field: 'policyFieldIds[2]', code: 'unknown', message: 'There is no such policy field.' }, 'de'), 'Diese Auswahl gibt es nicht (mehr).');
  assert.equal(localizeFieldError({ field: 'name', code: 'tooLong', message: 'no number here' }, 'de'), 'Die Eingabe ist zu lang.');
  assert.equal(localizeFieldError({ field: 'x', code: 'brandNew', message: 'Server says so.' }, 'de'), 'Server says so.');
  assert.equal(localizeFieldError({ field: 'x', code: '', message: '' }, 'de'), '');
});

test('hasMessage', async () => {
  const { hasMessage } = await import('../lib/i18n.js');
  assert.equal(hasMessage('errorCode.workspace.archived', 'en'), true);
  assert.equal(hasMessage('errorCode.nope', 'de'), false);
});

// ---------------------------------------------------------------- identity, account, administration

import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { AUDIT_TYPES } from '../state/admin.js';
import { WORKSPACE_ROLES, TOKEN_SCOPES } from '../state/identity.js';
import { ORGANIZATION_KINDS } from '../state/organizations.js';

const webRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles() {
  const files = [join(webRoot, 'app.js')];
  for (const dir of ['lib', 'state', 'views']) {
    for (const name of readdirSync(join(webRoot, dir))) if (name.endsWith('.js')) files.push(join(webRoot, dir, name));
  }
  return files;
}

test('every literal t(...) key used in the client exists in German and English', () => {
  const missing = [];
  for (const file of sourceFiles()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) {
      for (const lang of LANGUAGES) if (!(m[1] in messages[lang])) missing.push(`${lang}:${m[1]} (${file.slice(webRoot.length + 1)})`);
    }
  }
  assert.deepEqual(missing, []);
});

test('keys built at run time exist in both languages', () => {
  const keys = [
    ...WORKSPACE_ROLES.map((r) => `role.${r}`),
    ...TOKEN_SCOPES.map((s) => `token.scope.${s}`),
    ...AUDIT_TYPES.map((type) => `audit.type.${type}`),
    ...['tooShort', 'tooLong', 'common', 'containsEmail', 'required', 'sameAsCurrent'].map((c) => `fieldError.newPassword.${c}`),
    ...['tooShort', 'tooLong', 'common', 'containsEmail', 'required'].map((c) => `fieldError.password.${c}`),
    'fieldError.passwordConfirm.mismatch', 'fieldError.displayName.required', 'fieldError.currentPassword.incorrect',
    'fieldError.code.invalid', 'fieldError.code.totpFormat', 'fieldError.code.required', 'fieldError.email.invalid',
    'fieldError.expiresInDays.outOfRange',
    ...['auth.secondFactorRequired', 'auth.invalidSecondFactor', 'totp.requiredForRole', 'token.readOnly', 'invitation.notFound',
      'invitation.otherAccount', 'member.lastCoordinator'].map((c) => `errorCode.${c}`),
    // Organizations: kinds (labels and select groups), the form's field errors, the server's codes.
    ...ORGANIZATION_KINDS.flatMap((k) => [`organization.kind.${k}`, `organization.group.${k}`]),
    ...['required', 'invalid', 'duplicate'].map((c) => `fieldError.organizationName.${c}`),
    ...['required', 'invalid'].map((c) => `fieldError.organizationKind.${c}`),
    'fieldError.organizationId.unknown',
    ...['organization.duplicate', 'organization.notFound', 'passwordReset.unavailable', 'passwordReset.invalid'].map((c) => `errorCode.${c}`),
  ];
  for (const lang of LANGUAGES) {
    for (const key of keys) assert.ok(messages[lang][key], `${lang}:${key}`);
  }
});

test('weak-password field errors are shown by code, with the limit from the server', async () => {
  const { localizeFieldError } = await import('../lib/i18n.js');
  const short = { field: 'newPassword', code: 'tooShort', message: 'Use at least 8 characters.' };
  assert.equal(localizeFieldError(short, 'de'), 'Das Passwort ist zu kurz: Bitte verwenden Sie mindestens 8 Zeichen.');
  assert.equal(localizeFieldError(short, 'en'), 'The password is too short: please use at least 8 characters.');
  assert.equal(localizeFieldError({ field: 'password', code: 'tooLong', message: 'Use at most 256 characters.' }, 'de'), 'Das Passwort ist zu lang: Höchstens 256 Zeichen sind möglich.');
  assert.match(localizeFieldError({ field: 'newPassword', code: 'common', message: 'x' }, 'de'), /zu verbreitet/);
  assert.match(localizeFieldError({ field: 'password', code: 'containsEmail', message: 'x' }, 'en'), /must not contain your email/);
  assert.match(localizeFieldError({ field: 'code', code: 'invalid', message: 'x' }, 'de'), /Code stimmt nicht/);
});

test('formatDateTime shows instants in Berlin time, de-DE and en-GB', async () => {
  const { formatDateTime } = await import('../lib/i18n.js');
  // 12:05 UTC in November is 13:05 in Berlin (CET); in July 22:30 UTC is 00:30 the next day (CEST).
  assert.equal(formatDateTime('2026-11-22T12:05:09.123Z', 'de'), '22.11.2026, 13:05');
  assert.equal(formatDateTime('2026-11-22T12:05:09.123Z', 'en'), '22 Nov 2026, 13:05');
  assert.equal(formatDateTime('2026-11-22T12:05:09.123Z', 'de', { seconds: true }), '22.11.2026, 13:05:09');
  assert.equal(formatDateTime('2026-07-01T22:30:00Z', 'de'), '02.07.2026, 00:30');
  assert.equal(formatDateTime('', 'de'), '');
  assert.equal(formatDateTime('nonsense', 'en'), 'nonsense');
});

test('organization and password-reset errors are shown in the UI language by code', async () => {
  const { localizeFieldError, translate } = await import('../lib/i18n.js');
  // The server's message holds a number ("2 to 160"); the client text has its own.
  const invalid = { field: 'organizationName', code: 'invalid', message: 'A name of 2 to 160 characters.' };
  assert.equal(localizeFieldError(invalid, 'de'), 'Der Name braucht 2 bis 160 Zeichen (ohne Steuerzeichen).');
  assert.equal(localizeFieldError(invalid, 'en'), 'The name needs 2 to 160 characters (no control characters).');
  assert.match(localizeFieldError({ field: 'organizationName', code: 'duplicate', message: '' }, 'de'), /gibt es schon/);
  assert.match(localizeFieldError({ field: 'organizationId', code: 'unknown', message: 'There is no such organization.' }, 'en'), /does not exist/);
  // A workspace's or token's `name` keeps its own texts.
  assert.equal(localizeFieldError({ field: 'name', code: 'tooShort', message: 'at least 3' }, 'de'), 'Bitte geben Sie mindestens 3 Zeichen ein.');
  assert.equal(translate('de', 'errorCode.passwordReset.unavailable'), 'Ihre Installation versendet keine E-Mails; wenden Sie sich an die Stabsstelle Sozialplanung.');
  assert.equal(translate('de', 'forgot.unavailable.body'), translate('de', 'errorCode.passwordReset.unavailable'));
});

test('formatDate shows an instant in Berlin time whatever the browser zone (like formatDateTime)', () => {
  // 23:09 UTC on 22 November is 00:09 on 23 November in Berlin.
  assert.equal(formatDate('2026-11-22T23:09:00Z', 'de'), '23. November 2026 um 00:09');
  assert.equal(formatDate('2026-07-01T10:00:00Z', 'en'), '1 July 2026 at 12:00');
});
