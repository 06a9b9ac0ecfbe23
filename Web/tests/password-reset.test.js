import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as pr from '../state/password-reset.js';
import { messages } from '../lib/i18n.js';

test('resetToken parses the route and refuses odd tokens', () => {
  const token = 'b1Xy4Vq8ZkP0rTm3LsN6wJc9HdF2gAe5UoIi7QtRzEw';
  assert.equal(pr.resetToken(`/reset/${token}`), token);
  assert.equal(pr.resetToken('/reset/short'), null);
  assert.equal(pr.resetToken('/reset/abc<script>defgh'), null);
  assert.equal(pr.resetToken(`/reset/${'a'.repeat(129)}`), null, 'the hub takes at most 128 characters');
  assert.equal(pr.resetToken('/reset/'), null);
  assert.equal(pr.resetToken(`/invitation/${token}`), null);
  assert.equal(pr.resetToken(null), null);
  assert.equal(pr.isResetPath('/reset/x'), true);
  assert.equal(pr.isResetPath('/reset'), true);
  assert.equal(pr.isResetPath('/resets'), false);
  assert.equal(pr.isResetPath('/signin'), false);
});

test('the request form checks the address before asking the server', () => {
  assert.deepEqual(pr.validateResetRequest({ email: ' Anna@Kreis.example ' }), { issues: [], body: { email: 'Anna@Kreis.example' } });
  assert.deepEqual(pr.validateResetRequest({ email: '' }).issues, [{ field: 'email', code: 'required', message: '' }]);
  assert.deepEqual(pr.validateResetRequest({}).issues.map((x) => x.code), ['required']);
  assert.deepEqual(pr.validateResetRequest({ email: 'anna' }).issues, [{ field: 'email', code: 'invalid', message: '' }]);
});

test('the new-password form: required, both entries equal; the rest is the server’s', () => {
  assert.deepEqual(pr.validateNewPassword({ token: 't', newPassword: 'Kanal Sonne Wiese', passwordConfirm: 'Kanal Sonne Wiese' }), {
    issues: [],
    body: { token: 't', newPassword: 'Kanal Sonne Wiese' },
  });
  const codes = (v) => pr.validateNewPassword(v).issues.map((x) => `${x.field}.${x.code}`);
  assert.deepEqual(codes({ token: 't', newPassword: '', passwordConfirm: '' }), ['newPassword.required']);
  assert.deepEqual(codes({ token: 't', newPassword: '   ', passwordConfirm: '   ' }), ['newPassword.required']);
  assert.deepEqual(codes({ token: 't', newPassword: 'abc', passwordConfirm: 'abd' }), ['passwordConfirm.mismatch']);
  assert.deepEqual(codes({ token: 't', newPassword: 'kurz', passwordConfirm: 'kurz' }), [], 'too short is for the server to say');
  assert.equal(pr.validateNewPassword({ newPassword: ' a b ', passwordConfirm: ' a b ' }).body.newPassword, ' a b ', 'passwords are not trimmed');
});

test('requestOutcome: 202, no mail server, throttled, field errors, anything else', () => {
  assert.equal(pr.requestOutcome(null), 'sent');
  assert.equal(pr.requestOutcome({ status: 409, code: 'passwordReset.unavailable', fields: [] }), 'unavailable');
  assert.equal(pr.requestOutcome({ status: 429, code: 'auth.rateLimited', fields: [] }), 'rateLimited');
  assert.equal(pr.requestOutcome({ status: 429, code: 'http.429', fields: [] }), 'rateLimited');
  assert.equal(pr.requestOutcome({ status: 422, code: 'validation.failed', fields: [{ field: 'email', code: 'required' }] }), 'fields');
  assert.equal(pr.requestOutcome({ status: 0, code: 'network', fields: [] }), 'error');
});

test('confirmOutcome: 204, invalid link, weak password, anything else', () => {
  assert.equal(pr.confirmOutcome(null), 'done');
  assert.equal(pr.confirmOutcome({ status: 404, code: 'passwordReset.invalid', fields: [] }), 'invalid');
  assert.equal(pr.confirmOutcome({ status: 422, code: 'validation.failed', fields: [{ field: 'newPassword', code: 'common' }] }), 'fields');
  assert.equal(pr.confirmOutcome({ status: 500, code: 'internal', fields: [] }), 'error');
});

test('every outcome and the password codes have texts in both languages', () => {
  const keys = [
    'errorCode.passwordReset.unavailable', 'errorCode.passwordReset.invalid',
    ...['tooShort', 'tooLong', 'common', 'containsEmail', 'required'].map((c) => `fieldError.newPassword.${c}`),
    'fieldError.passwordConfirm.mismatch', 'fieldError.email.required', 'fieldError.email.invalid',
  ];
  for (const lang of ['de', 'en']) for (const key of keys) assert.ok(messages[lang][key], `${lang}:${key}`);
});
