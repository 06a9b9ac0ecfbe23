// The one way Roundtable builds HTML.
//
//   html`<a href="#/workspaces/${ws.id}">${ws.name}</a>`
//
// Every interpolated value is escaped for the context it lands in. The static parts of
// the template are scanned with a small HTML tokenizer so that the tag knows whether a
// value sits in text, in a quoted attribute value, right after `name=` (it gets quoted),
// or in attribute position (only `attrs({...})` is accepted there). Anything that cannot
// be made safe (event-handler attributes, inline styles, script/style bodies, comments,
// dynamic tag or attribute names) throws, so mistakes show up in tests, not in production.
//
// Nested templates (the result of html`...`) are inserted as they are in text context,
// since they were escaped when they were built. `render(target, template)` is the only
// place that writes innerHTML, and it accepts nothing but such a template.

const ESCAPES = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes a string for HTML text and quoted attribute values. */
export function escapeHtml(value) {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** The result of html`...`: markup whose interpolations have been escaped. */
export class SafeHtml {
  #value;
  constructor(value) {
    this.#value = value;
    Object.freeze(this);
  }
  toString() {
    return this.#value;
  }
  get value() {
    return this.#value;
  }
}

class AttrSet {
  constructor(entries) {
    this.entries = entries;
    Object.freeze(this);
  }
}

const URL_ATTRIBUTES = new Set([
  'href', 'src', 'action', 'formaction', 'xlink:href', 'poster', 'cite', 'data',
  'background', 'ping', 'manifest', 'codebase', 'longdesc', 'usemap',
]);
const FORBIDDEN_ATTRIBUTES = new Set(['style', 'srcdoc', 'srcset']);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'iframe', 'noembed', 'noframes', 'xmp', 'noscript']);
const ATTRIBUTE_NAME = /^[a-zA-Z_:][-a-zA-Z0-9_:.]*$/;
// otpauth: opens an authenticator app with a TOTP secret (two-factor enrolment); like
// mailto and tel it hands data to another app and cannot run script in the page.
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'otpauth']);

function checkAttributeName(name) {
  const lower = name.toLowerCase();
  if (!ATTRIBUTE_NAME.test(name)) {
    throw new Error(`html: invalid attribute name ${JSON.stringify(name)}`);
  }
  if (lower.startsWith('on')) {
    throw new Error(`html: refusing to interpolate into event handler attribute "${name}"`);
  }
  if (FORBIDDEN_ATTRIBUTES.has(lower)) {
    throw new Error(`html: refusing to interpolate into "${name}" attribute`);
  }
  return lower;
}

/**
 * Returns the URL unchanged when it is relative or uses http(s)/mailto/tel/otpauth; otherwise a
 * harmless placeholder. Browsers ignore tabs, newlines and leading control characters in
 * schemes, so those are stripped before the check.
 */
export function sanitizeUrl(value) {
  const url = String(value);
  // eslint-disable-next-line no-control-regex
  const probe = url.replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(probe);
  if (scheme && !SAFE_SCHEMES.has(scheme[1].toLowerCase())) {
    return 'about:invalid#blocked';
  }
  return url;
}

/**
 * Attributes for attribute position: html`<input ${attrs({ required: true, 'aria-describedby': ids })}>`.
 * `true` gives a bare boolean attribute, `false`/`null`/`undefined` omits it, anything
 * else becomes name="escaped value".
 */
export function attrs(map) {
  const entries = [];
  for (const [name, value] of Object.entries(map)) {
    const lower = checkAttributeName(name);
    if (value === false || value === null || value === undefined) continue;
    if (value === true) {
      entries.push(name);
      continue;
    }
    let text = Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined && v !== false).join(' ') : String(value);
    if (URL_ATTRIBUTES.has(lower)) text = sanitizeUrl(text);
    entries.push(`${name}="${escapeHtml(text)}"`);
  }
  return new AttrSet(entries);
}

// Tokenizer states, as far as the template tag needs to know them.
const TEXT = 'text';
const TAG_OPEN = 'tagOpen'; // after "<", reading the tag name
const CLOSE_TAG = 'closeTag'; // inside "</...>"
const IN_TAG = 'inTag'; // between attributes
const ATTR_NAME = 'attrName';
const AFTER_ATTR_NAME = 'afterAttrName';
const BEFORE_VALUE = 'beforeValue'; // right after "="
const DQ = 'doubleQuoted';
const SQ = 'singleQuoted';
const UNQUOTED = 'unquoted';
const COMMENT = 'comment';
const RAW_TEXT = 'rawText'; // inside <script>, <style>, ...
const DECLARATION = 'declaration'; // <!DOCTYPE ...>

function isSpace(c) {
  return c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f';
}
function isLetter(c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/**
 * Advances the tokenizer context over a static chunk of the template. The context is a
 * plain object: { state, tag, attr, valueStart } where valueStart tells whether the
 * current attribute value has received static characters yet.
 */
function scan(chunk, ctx) {
  let { state, tag, attr, valueHasText, rawEnd } = ctx;
  let i = 0;
  while (i < chunk.length) {
    const c = chunk[i];
    switch (state) {
      case TEXT:
        if (c === '<') {
          if (chunk.startsWith('<!--', i)) {
            state = COMMENT;
            i += 4;
            continue;
          }
          const next = chunk[i + 1];
          if (next === '/') {
            state = CLOSE_TAG;
            i += 2;
            continue;
          }
          if (next === '!' || next === '?') {
            state = DECLARATION;
            i += 2;
            continue;
          }
          // "<" right before an interpolation would let the value become a tag name.
          if (next === undefined || isLetter(next)) {
            state = TAG_OPEN;
            tag = '';
            i += 1;
            continue;
          }
        }
        i += 1;
        continue;
      case TAG_OPEN:
        if (isSpace(c) || c === '/') {
          state = IN_TAG;
        } else if (c === '>') {
          ({ state, rawEnd } = afterTag(tag));
        } else {
          tag += c.toLowerCase();
        }
        i += 1;
        continue;
      case CLOSE_TAG:
      case DECLARATION:
        if (c === '>') state = TEXT;
        i += 1;
        continue;
      case COMMENT:
        if (chunk.startsWith('-->', i)) {
          state = TEXT;
          i += 3;
          continue;
        }
        i += 1;
        continue;
      case RAW_TEXT:
        if (chunk.slice(i, i + rawEnd.length).toLowerCase() === rawEnd) {
          state = CLOSE_TAG;
          i += rawEnd.length;
          continue;
        }
        i += 1;
        continue;
      case IN_TAG:
        if (c === '>') {
          ({ state, rawEnd } = afterTag(tag));
        } else if (!isSpace(c) && c !== '/') {
          state = ATTR_NAME;
          attr = c.toLowerCase();
        }
        i += 1;
        continue;
      case ATTR_NAME:
        if (c === '=') {
          state = BEFORE_VALUE;
        } else if (isSpace(c)) {
          state = AFTER_ATTR_NAME;
        } else if (c === '>') {
          ({ state, rawEnd } = afterTag(tag));
        } else if (c === '/') {
          state = IN_TAG;
        } else {
          attr += c.toLowerCase();
        }
        i += 1;
        continue;
      case AFTER_ATTR_NAME:
        if (c === '=') {
          state = BEFORE_VALUE;
        } else if (c === '>') {
          ({ state, rawEnd } = afterTag(tag));
        } else if (c === '/') {
          state = IN_TAG;
        } else if (!isSpace(c)) {
          state = ATTR_NAME;
          attr = c.toLowerCase();
        }
        i += 1;
        continue;
      case BEFORE_VALUE:
        if (c === '"') {
          state = DQ;
          valueHasText = false;
        } else if (c === "'") {
          state = SQ;
          valueHasText = false;
        } else if (c === '>') {
          ({ state, rawEnd } = afterTag(tag));
        } else if (!isSpace(c)) {
          state = UNQUOTED;
          valueHasText = true;
        }
        i += 1;
        continue;
      case DQ:
      case SQ:
        if ((state === DQ && c === '"') || (state === SQ && c === "'")) {
          state = IN_TAG;
        } else {
          valueHasText = true;
        }
        i += 1;
        continue;
      case UNQUOTED:
        if (isSpace(c)) {
          state = IN_TAG;
        } else if (c === '>') {
          ({ state, rawEnd } = afterTag(tag));
        }
        i += 1;
        continue;
      default:
        throw new Error(`html: unknown state ${state}`);
    }
  }
  return { state, tag, attr, valueHasText, rawEnd };
}

function afterTag(tag) {
  if (RAW_TEXT_ELEMENTS.has(tag)) return { state: RAW_TEXT, rawEnd: `</${tag}` };
  return { state: TEXT, rawEnd: '' };
}

function textValue(value) {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(textValue).join('');
  if (value instanceof AttrSet) throw new Error('html: attrs() can only be used in attribute position');
  return escapeHtml(value);
}

function attributeValue(value, ctx) {
  const attr = checkAttributeName(ctx.attr);
  let text;
  if (value === null || value === undefined || value === false) text = '';
  else if (Array.isArray(value)) text = value.filter((v) => v !== null && v !== undefined && v !== false).join(' ');
  else if (value instanceof AttrSet) throw new Error('html: attrs() can only be used in attribute position');
  else text = String(value);
  // A URL attribute whose value starts with the interpolation decides its own scheme.
  if (URL_ATTRIBUTES.has(attr) && !ctx.valueHasText) text = sanitizeUrl(text);
  return escapeHtml(text);
}

function interpolate(value, ctx) {
  switch (ctx.state) {
    case TEXT:
      return { out: textValue(value), ctx };
    case DQ:
    case SQ: {
      const out = attributeValue(value, ctx);
      return { out, ctx: { ...ctx, valueHasText: ctx.valueHasText || out !== '' } };
    }
    case BEFORE_VALUE:
      // name=${value}: quote it ourselves, then we are back between attributes.
      return { out: `"${attributeValue(value, { ...ctx, valueHasText: false })}"`, ctx: { ...ctx, state: IN_TAG } };
    case IN_TAG:
    case AFTER_ATTR_NAME:
      if (value === null || value === undefined || value === false || value === '') return { out: '', ctx: { ...ctx, state: IN_TAG } };
      if (value instanceof AttrSet) {
        return { out: value.entries.length ? ` ${value.entries.join(' ')} ` : '', ctx: { ...ctx, state: IN_TAG } };
      }
      throw new Error('html: only attrs({...}) may be interpolated in attribute position');
    case UNQUOTED:
      throw new Error(`html: interpolation inside an unquoted attribute value (${ctx.attr}); quote it`);
    case ATTR_NAME:
      throw new Error('html: dynamic attribute names are not allowed; use attrs({...})');
    case TAG_OPEN:
    case CLOSE_TAG:
      throw new Error('html: dynamic tag names are not allowed');
    case COMMENT:
    case DECLARATION:
      throw new Error('html: interpolation inside a comment or declaration is not allowed');
    case RAW_TEXT:
      throw new Error('html: interpolation inside script/style is not allowed');
    default:
      throw new Error(`html: cannot interpolate in state ${ctx.state}`);
  }
}

const INITIAL = Object.freeze({ state: TEXT, tag: '', attr: '', valueHasText: false, rawEnd: '' });

/** The escaping template tag. Returns a SafeHtml. */
export function html(strings, ...values) {
  let ctx = INITIAL;
  let out = '';
  for (let i = 0; i < strings.length; i += 1) {
    out += strings[i];
    ctx = scan(strings[i], ctx);
    if (i < values.length) {
      const step = interpolate(values[i], ctx);
      out += step.out;
      ctx = step.ctx;
    }
  }
  return new SafeHtml(out);
}

/** Joins templates (or plain values, escaped) with an optional separator template. */
export function join(items, separator = new SafeHtml('')) {
  const sep = separator instanceof SafeHtml ? separator.value : escapeHtml(separator);
  return new SafeHtml(items.map(textValue).join(sep));
}

/** Replaces the children of `target` with the template. The only innerHTML write. */
export function render(target, template) {
  if (!(template instanceof SafeHtml)) {
    throw new TypeError('render: expected the result of html`...`');
  }
  if (!target) throw new TypeError('render: no target element');
  target.innerHTML = template.value;
  return target;
}
