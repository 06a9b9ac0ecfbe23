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
