// A small fetch wrapper for the hub's JSON API.
//
// Every request is same-origin with credentials (the session cookie), sends and accepts
// JSON, and turns error answers of the shape {"error":{"code","message","fields"}} into
// an ApiError that carries the code, the server's message, the field errors and the
// whole body (a 409 carries "current" next to "error").

export class ApiError extends Error {
  constructor({ status, code, message, fields = [], body = null }) {
    super(message || code || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = code || (status ? `http.${status}` : 'network');
    this.fields = Array.isArray(fields) ? fields : [];
    this.body = body;
  }
}

/** Parses a weak or strong ETag of the form "v12" into 12, or null. */
export function versionFromEtag(etag) {
  if (!etag) return null;
  const m = /"v(\d+)"/.exec(etag);
  return m ? Number(m[1]) : null;
}

/** The If-Match value for a version. */
export function ifMatch(version) {
  return `"v${version}"`;
}

function documentLanguage() {
  return globalThis.document?.documentElement?.lang || null;
}

export function createApi({ fetch: fetchImpl = (...args) => globalThis.fetch(...args), base = '', language = documentLanguage } = {}) {
  async function request(method, path, { body, headers = {}, signal } = {}) {
    const lang = language();
    const init = {
      method,
      credentials: 'same-origin',
      headers: { Accept: 'application/json', ...(lang ? { 'Accept-Language': lang } : {}), ...headers },
      signal,
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetchImpl(base + path, init);
    } catch (err) {
      if (err && err.name === 'AbortError') throw err;
      throw new ApiError({ status: 0, code: 'network', message: err && err.message ? err.message : 'network error' });
    }
    let data = null;
    if (response.status !== 204) {
      const text = await response.text();
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = null;
        }
      }
    }
    if (!response.ok) {
      const error = data && typeof data === 'object' && data.error ? data.error : {};
      throw new ApiError({
        status: response.status,
        code: error.code,
        message: error.message || response.statusText,
        fields: error.fields,
        body: data,
      });
    }
    const etag = response.headers && typeof response.headers.get === 'function' ? response.headers.get('ETag') : null;
    return { status: response.status, data, etag };
  }

  return {
    request,
    get: (path, opts) => request('GET', path, opts),
    post: (path, body, opts = {}) => request('POST', path, { ...opts, body }),
    patch: (path, body, opts = {}) => request('PATCH', path, { ...opts, body }),
    put: (path, body, opts = {}) => request('PUT', path, { ...opts, body }),
    del: (path, opts) => request('DELETE', path, opts),
  };
}

export const api = createApi();
