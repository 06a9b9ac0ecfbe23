import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as id from '../state/identity.js';

test('nextSignInStep: only "required" asks for a second factor', () => {
  assert.equal(id.nextSignInStep({ user: {}, secondFactor: 'required' }), 'secondFactor');
  assert.equal(id.nextSignInStep({ user: {}, secondFactor: 'none' }), 'done');
  assert.equal(id.nextSignInStep({ user: {}, secondFactor: 'verified' }), 'done');
  assert.equal(id.nextSignInStep({ user: {} }), 'done', 'older servers send no secondFactor');
  assert.equal(id.nextSignInStep(null), 'done');
});

test('TOTP codes: separators dropped, exactly six digits', () => {
  assert.equal(id.normalizeTotpCode(' 123 456 '), '123456');
  assert.equal(id.normalizeTotpCode('123-456'), '123456');
  assert.equal(id.normalizeTotpCode('123\u00a0456'), '123456');
  assert.equal(id.isTotpCode('123456'), true);
  assert.equal(id.isTotpCode('123 456'), true);
  assert.equal(id.isTotpCode('12345'), false);
  assert.equal(id.isTotpCode('1234567'), false);
  assert.equal(id.isTotpCode('12a456'), false);
  assert.equal(id.isTotpCode(''), false);
  assert.equal(id.isTotpCode(undefined), false);
});

test('recovery codes are trimmed and lower-cased; bodies match the API', () => {
  assert.equal(id.normalizeRecoveryCode('  ABCD-efgh-IJKL '), 'abcd-efgh-ijkl');
  assert.equal(id.normalizeRecoveryCode('abcd - efgh'), 'abcd-efgh');
  assert.deepEqual(id.secondFactorBody('123 456', false), { code: '123456' });
  assert.deepEqual(id.secondFactorBody(' ABCD-EFGH-IJKL', true), { recoveryCode: 'abcd-efgh-ijkl' });
});

test('validateSecondFactor reports by field and code', () => {
  assert.deepEqual(id.validateSecondFactor('', false), [{ field: 'code', code: 'required', message: '' }]);
  assert.deepEqual(id.validateSecondFactor('12', false), [{ field: 'code', code: 'totpFormat', message: '' }]);
  assert.deepEqual(id.validateSecondFactor('123456', false), []);
  assert.deepEqual(id.validateSecondFactor(' ', true), [{ field: 'recoveryCode', code: 'required', message: '' }]);
  assert.deepEqual(id.validateSecondFactor('anything', true), [], 'recovery codes are checked by the server');
});

test('groupSecret shows the base32 secret in groups of four', () => {
  assert.equal(id.groupSecret('JBSWY3DPEHPK3PXP'), 'JBSW Y3DP EHPK 3PXP');
  assert.equal(id.groupSecret('jbswy3dpehpk3pxpab'), 'JBSW Y3DP EHPK 3PXP AB');
  assert.equal(id.groupSecret('JBSW Y3DP=='), 'JBSW Y3DP');
  assert.equal(id.groupSecret(''), '');
  assert.equal(id.groupSecret(null), '');
  // Grouping is only for reading: the groups joined give the secret back.
  assert.equal(id.groupSecret('AF6EXRU3IMLR33MJF6QY6YXZKU7F4G7F').replace(/ /g, ''), 'AF6EXRU3IMLR33MJF6QY6YXZKU7F4G7F');
});

test('otpauth URIs: the secret is read back, only totp URIs are links', () => {
  const uri = 'otpauth://totp/Roundtable:a%40b.example?secret=JBSWY3DPEHPK3PXP&issuer=Roundtable&digits=6';
  assert.equal(id.secretFromOtpauth(uri), 'JBSWY3DPEHPK3PXP');
  assert.equal(id.secretFromOtpauth('otpauth://totp/x?issuer=y'), null);
  assert.equal(id.isOtpauthUri(uri), true);
  assert.equal(id.isOtpauthUri('javascript:alert(1)'), false);
  assert.equal(id.isOtpauthUri('otpauth://hotp/x?secret=A'), false);
  assert.equal(id.isOtpauthUri('otpauth://totp/x y'), false);
});

test('recovery codes file: numbered, CRLF, translated labels, safe name', () => {
  const codes = Array.from({ length: 10 }, (_, i) => `abcd-efgh-${String(i).padStart(4, '0')}`);
  const text = id.recoveryCodesText(codes, { email: 'a@b.example', issuedAt: '22.11.2026, 13:05', labels: { title: 'Roundtable – Wiederherstellungscodes', explain: 'Jeder Code einmal.' } });
  const lines = text.split('\r\n');
  assert.equal(lines[0], 'Roundtable – Wiederherstellungscodes');
  assert.equal(lines[1], 'a@b.example');
  assert.ok(lines.includes(' 1. abcd-efgh-0000'));
  assert.ok(lines.includes('10. abcd-efgh-0009'));
  assert.ok(text.includes('Jeder Code einmal.'));
  assert.equal(id.recoveryCodesText([], {}).startsWith('Roundtable recovery codes'), true);
  assert.equal(id.recoveryCodesFileName('Anna.Schmidt@kreis.example'), 'roundtable-recovery-codes-anna.schmidt.txt');
  assert.equal(id.recoveryCodesFileName('../../etc@x'), 'roundtable-recovery-codes-..-..-etc.txt');
  assert.equal(id.recoveryCodesFileName(''), 'roundtable-recovery-codes.txt');
});

test('sessions: current first, then most recently seen', () => {
  const list = id.sortSessions([
    { id: 'a', lastSeenAt: '2026-11-20T10:00:00Z', current: false },
    { id: 'b', lastSeenAt: '2026-11-22T10:00:00Z', current: false },
    { id: 'c', lastSeenAt: '2026-11-01T10:00:00Z', current: true },
    { id: 'd', lastSeenAt: null, createdAt: '2026-11-21T10:00:00Z' },
    null,
  ]);
  assert.deepEqual(list.map((s) => s.id), ['c', 'b', 'd', 'a']);
  assert.deepEqual(id.sortSessions(undefined), []);
});

test('tokens: newest first; the created answer is listed without its secret', () => {
  const list = id.sortTokens([{ id: 'x', createdAt: '2026-01-01T00:00:00Z' }, { id: 'y', createdAt: '2026-02-01T00:00:00Z' }]);
  assert.deepEqual(list.map((x) => x.id), ['y', 'x']);
  const entry = id.tokenListEntry({ token: 'secret', id: 't1', name: 'n', scope: 'read', createdAt: 'c', expiresAt: 'e' });
  assert.deepEqual(entry, { lastSeenAt: null, id: 't1', name: 'n', scope: 'read', createdAt: 'c', expiresAt: 'e' });
  assert.equal('token' in entry, false);
  assert.equal(id.tokenListEntry(null), null);
});

test('withoutId and upsertById return the same list when nothing changes', () => {
  const list = [{ id: 'a', n: 1 }, { id: 'b', n: 2 }];
  assert.equal(id.withoutId(list, 'zzz'), list);
  assert.deepEqual(id.withoutId(list, 'a'), [{ id: 'b', n: 2 }]);
  assert.deepEqual(id.upsertById(list, { id: 'b', n: 3 }), [{ id: 'a', n: 1 }, { id: 'b', n: 3 }]);
  assert.deepEqual(id.upsertById(list, { id: 'c' }).map((x) => x.id), ['a', 'b', 'c']);
  assert.equal(id.upsertById(list, null), list);
  assert.deepEqual(id.upsertById(null, { id: 'a' }), [{ id: 'a' }]);
  assert.equal(list.length, 2, 'the input is not changed');
});

test('password change: both fields required, the new one must differ', () => {
  assert.deepEqual(id.validatePasswordChange({ currentPassword: '', newPassword: '' }).map((x) => `${x.field}.${x.code}`), ['currentPassword.required', 'newPassword.required']);
  assert.deepEqual(id.validatePasswordChange({ currentPassword: 'same-same', newPassword: 'same-same' }).map((x) => `${x.field}.${x.code}`), ['newPassword.sameAsCurrent']);
  assert.deepEqual(id.validatePasswordChange({ currentPassword: 'old', newPassword: 'x' }), [], 'strength is the server\'s call');
});

test('new account: name, password and a matching confirmation', () => {
  const codes = (v) => id.validateNewAccount(v).map((x) => `${x.field}.${x.code}`);
  assert.deepEqual(codes({ displayName: ' ', password: '', passwordConfirm: '' }), ['displayName.required', 'password.required']);
  assert.deepEqual(codes({ displayName: 'A', password: 'abc', passwordConfirm: 'abd' }), ['passwordConfirm.mismatch']);
  assert.deepEqual(codes({ displayName: 'A', password: 'abc', passwordConfirm: 'abc' }), []);
});

test('token form: name, scope and 1…365 whole days', () => {
  assert.equal(id.parseDays('30'), 30);
  assert.equal(id.parseDays(' 365 '), 365);
  assert.equal(id.parseDays('366'), null);
  assert.equal(id.parseDays('0'), null);
  assert.equal(id.parseDays('1.5'), null);
  assert.equal(id.parseDays('-3'), null);
  assert.equal(id.parseDays(''), null);
  const ok = id.validateTokenForm({ name: ' Skript ', scope: 'write', expiresInDays: '90' });
  assert.deepEqual(ok, { issues: [], body: { name: 'Skript', scope: 'write', expiresInDays: 90 } });
  const bad = id.validateTokenForm({ name: '', scope: 'admin', expiresInDays: '400' });
  assert.deepEqual(bad.issues.map((x) => `${x.field}.${x.code}`), ['name.required', 'scope.required', 'expiresInDays.outOfRange']);
});

test('invitation form: email checked, organization id only when one is chosen', () => {
  assert.equal(id.looksLikeEmail('a@b.example'), true);
  assert.equal(id.looksLikeEmail('a@b'), false);
  assert.equal(id.looksLikeEmail('a b@c.example'), false);
  assert.equal(id.looksLikeEmail('<a@b.example>'), false);
  assert.deepEqual(id.validateInvitation({ email: ' neu@kreis.example ', role: 'member', organizationId: '' }), {
    issues: [],
    body: { email: 'neu@kreis.example', role: 'member' },
  });
  assert.deepEqual(id.validateInvitation({ email: 'x@y.example', role: 'observer', organizationId: 'o-1' }).body, { email: 'x@y.example', role: 'observer', organizationId: 'o-1' });
  assert.equal('organization' in id.validateInvitation({ email: 'x@y.example', role: 'member', organization: 'Caritas' }).body, false, 'free text is gone');
  assert.deepEqual(id.validateInvitation({ email: '', role: 'boss' }).issues.map((x) => `${x.field}.${x.code}`), ['email.required', 'role.required']);
  assert.deepEqual(id.validateInvitation({ email: 'nope', role: 'member' }).issues.map((x) => `${x.field}.${x.code}`), ['email.invalid']);
});

test('member body: role and organization id, null for none', () => {
  assert.deepEqual(id.memberBody('observer', 'o-1'), { role: 'observer', organizationId: 'o-1' });
  assert.deepEqual(id.memberBody('member', ''), { role: 'member', organizationId: null });
  assert.deepEqual(id.memberBody('member', undefined), { role: 'member', organizationId: null });
});

test('invitation links: absolute, http(s) only; the list entry has no link', () => {
  assert.equal(id.absoluteLink('/#/invitation/abc', 'https://hub.kreis.example'), 'https://hub.kreis.example/#/invitation/abc');
  assert.equal(id.absoluteLink('http://127.0.0.1:8080/#/invitation/abc', 'https://other.example'), 'http://127.0.0.1:8080/#/invitation/abc');
  assert.equal(id.absoluteLink('javascript:alert(1)', 'https://hub.example'), null);
  assert.equal(id.absoluteLink(null, 'https://hub.example'), null);
  const entry = id.invitationListEntry({ id: 'i1', email: 'e', role: 'member', delivery: 'link', link: 'L', expiresAt: 'x' });
  assert.deepEqual(entry, { id: 'i1', email: 'e', role: 'member', expiresAt: 'x' });
});

test('invitationToken parses the route and refuses odd tokens', () => {
  assert.equal(id.invitationToken('/invitation/jmkjNxwcutQDmoOEWKdbM4Lz9BuQC4Yk2V18679mMe8'), 'jmkjNxwcutQDmoOEWKdbM4Lz9BuQC4Yk2V18679mMe8');
  assert.equal(id.invitationToken('/invitation/short'), null);
  assert.equal(id.invitationToken('/invitation/abc<script>defgh'), null);
  assert.equal(id.invitationToken('/invitation/'), null);
  assert.equal(id.invitationToken('/workspaces/x'), null);
});

test('invitationMode decides what the page offers', () => {
  const inv = { email: 'Neu@Kreis.example', accountExists: false };
  assert.equal(id.invitationMode(inv, null), 'create');
  assert.equal(id.invitationMode({ ...inv, accountExists: true }, null), 'signIn');
  assert.equal(id.invitationMode(inv, { email: 'neu@kreis.example' }), 'accept');
  assert.equal(id.invitationMode(inv, { email: 'other@kreis.example' }), 'otherAccount');
  assert.equal(id.invitationMode(null, null), null);
});

test('isSessionGone: a wrong password or code is not a lost session', () => {
  assert.equal(id.isSessionGone({ status: 401, code: 'auth.required' }), true);
  assert.equal(id.isSessionGone({ status: 401, code: 'auth.secondFactorRequired' }), true);
  assert.equal(id.isSessionGone({ status: 401, code: 'auth.invalidCredentials' }), false);
  assert.equal(id.isSessionGone({ status: 401, code: 'auth.invalidSecondFactor' }), false);
  assert.equal(id.isSessionGone({ status: 403, code: 'auth.secondFactorRequired' }), false);
  assert.equal(id.isSessionGone(null), false);
  assert.equal(id.needsSecondFactor({ status: 403, code: 'auth.secondFactorRequired' }), true);
  assert.equal(id.needsSecondFactor({ status: 403, code: 'forbidden' }), false);
});
