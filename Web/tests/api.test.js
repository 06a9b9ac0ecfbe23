import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi, ApiError, versionFromEtag, ifMatch } from '../lib/api.js';

function fakeFetch(responses) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    const r = responses.shift();
    if (r instanceof Error) throw r;
    const headers = new Map(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
    return {
      status: r.status,
      ok: r.status >= 200 && r.status < 300,
      statusText: r.statusText ?? '',
      headers: { get: (k) => headers.get(k.toLowerCase()) ?? null },
      text: async () => (r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body)),
    };
  };
  fn.calls = calls;
  return fn;
}

test('GET sends same-origin credentials and JSON accept; returns data and ETag', async () => {
  const f = fakeFetch([{ status: 200, body: { id: 'w1', version: 3 }, headers: { ETag: '"v3"' } }]);
  const api = createApi({ fetch: f });
  const r = await api.get('/api/v1/workspaces/w1');
  assert.deepEqual(r.data, { id: 'w1', version: 3 });
  assert.equal(r.etag, '"v3"');
  assert.equal(f.calls[0].init.credentials, 'same-origin');
  assert.equal(f.calls[0].init.headers.Accept, 'application/json');
  assert.equal(f.calls[0].init.body, undefined);
});

test('POST and PATCH send JSON bodies and extra headers', async () => {
  const f = fakeFetch([{ status: 201, body: { id: 'x' } }, { status: 200, body: {} }]);
  const api = createApi({ fetch: f });
  await api.post('/api/v1/session', { email: 'a', password: 'b' });
  assert.equal(f.calls[0].init.method, 'POST');
  assert.equal(f.calls[0].init.headers['Content-Type'], 'application/json');
  assert.deepEqual(JSON.parse(f.calls[0].init.body), { email: 'a', password: 'b' });
  await api.patch('/api/v1/workspaces/x', { name: 'n' }, { headers: { 'If-Match': ifMatch(4) } });
  assert.equal(f.calls[1].init.headers['If-Match'], '"v4"');
});

test('204 yields null data', async () => {
  const api = createApi({ fetch: fakeFetch([{ status: 204 }]) });
  const r = await api.del('/api/v1/session');
  assert.equal(r.status, 204);
  assert.equal(r.data, null);
});

test('error bodies become ApiError with code, message and fields', async () => {
  const body = { error: { code: 'validation.failed', message: 'Bitte prüfen', fields: [{ field: 'name', code: 'required', message: 'Name fehlt' }] } };
  const api = createApi({ fetch: fakeFetch([{ status: 422, body }]) });
  await assert.rejects(api.post('/api/v1/workspaces', {}), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 422);
    assert.equal(err.code, 'validation.failed');
    assert.equal(err.message, 'Bitte prüfen');
    assert.equal(err.fields[0].field, 'name');
    return true;
  });
});

test('409 keeps the whole body (current)', async () => {
  const body = { error: { code: 'version.conflict', message: 'stale' }, current: { id: 'w', version: 5 } };
  const api = createApi({ fetch: fakeFetch([{ status: 409, body }]) });
  await assert.rejects(api.patch('/x', {}), (err) => err.code === 'version.conflict' && err.body.current.version === 5);
});

test('non-JSON errors and network failures', async () => {
  const api = createApi({ fetch: fakeFetch([{ status: 502, body: '<html>bad gateway</html>', statusText: 'Bad Gateway' }, new TypeError('Failed to fetch')]) });
  await assert.rejects(api.get('/x'), (err) => err.status === 502 && err.code === 'http.502' && err.message === 'Bad Gateway');
  await assert.rejects(api.get('/x'), (err) => err.status === 0 && err.code === 'network');
});

test('versionFromEtag', () => {
  assert.equal(versionFromEtag('"v12"'), 12);
  assert.equal(versionFromEtag('W/"v3"'), 3);
  assert.equal(versionFromEtag(null), null);
  assert.equal(versionFromEtag('"abc"'), null);
});
