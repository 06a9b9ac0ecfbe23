import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { markdownToHtml, renderMarkdown } from '../lib/markdown.js';
import { html, SafeHtml } from '../lib/html.js';

// The same vectors are checked by Tests/HubCoreTests/MarkdownTests.swift, so the Swift and
// the JavaScript renderer provably produce the same bytes.
const cases = JSON.parse(readFileSync(new URL('../../Tests/Fixtures/markdown-cases.json', import.meta.url), 'utf8'));

const ALLOWED_TAGS = new Set(['p', 'br', 'h3', 'h4', 'h5', 'h6', 'em', 'strong', 'code', 'pre', 'blockquote', 'ul', 'ol', 'li', 'a', 'hr']);
const VOID_TAGS = new Set(['br', 'hr']);
const REL = 'nofollow noopener noreferrer';
const TAG = /^<(\/?)([a-z0-9]+)((?: [a-z]+="[^"]*")*)>/;
const ATTRIBUTE = / ([a-z]+)="([^"]*)"/g;
const ENTITY = /^&(?:amp|lt|gt|quot|#39);/;

/** An attribute value's text; null when it holds a character that should have been escaped. */
function decodeAttribute(value) {
  if (/[<>']|&(?!(?:amp|lt|gt|quot|#39);)/.test(value)) return null;
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, name) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]);
}

/**
 * Checks that `out` is markup this renderer may produce: only allow-listed tags, properly
 * nested, only href/title/rel on <a> and start on <ol>, hrefs relative or http(s)/mailto,
 * and every other character of text escaped. Returns nothing; throws on the first problem.
 */
function assertSafe(out, input) {
  const fail = (problem) => assert.fail(`${problem}\ninput ${JSON.stringify(input.slice(0, 200))}\noutput ${JSON.stringify(out.slice(0, 400))}`);
  if (/<script/i.test(out)) fail('contains <script');
  const stack = [];
  let i = 0;
  while (i < out.length) {
    const c = out[i];
    if (c === '<') {
      const m = TAG.exec(out.slice(i, i + 2000));
      if (!m) fail(`malformed tag at ${i}`);
      const [whole, closing, name, attributes] = m;
      if (!ALLOWED_TAGS.has(name)) fail(`tag <${name}> not allowed`);
      if (closing) {
        if (attributes !== '') fail(`attributes on </${name}>`);
        if (stack.pop() !== name) fail(`misnested </${name}>`);
      } else {
        const attrs = new Map();
        for (const [, key, value] of attributes.matchAll(ATTRIBUTE)) {
          if (/^on/i.test(key)) fail(`event handler attribute ${key}`);
          const text = decodeAttribute(value);
          if (text === null) fail(`unescaped character in ${key}="${value}"`);
          attrs.set(key, text);
        }
        if (name === 'a') {
          if (stack.includes('a')) fail('link inside a link');
          const keys = [...attrs.keys()].filter((k) => k !== 'title').join(' ');
          if (keys !== 'href rel') fail(`attributes of <a>: ${keys}`);
          if (attrs.get('rel') !== REL) fail('rel of <a>');
          // What a browser would take for the scheme: control characters and spaces removed.
          // (So no javascript:, data:, vbscript: or file: URL; "javascript:" as plain text stays text.)
          // eslint-disable-next-line no-control-regex
          const probe = attrs.get('href').replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
          const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(probe);
          if (scheme && !['http', 'https', 'mailto'].includes(scheme[1].toLowerCase())) fail(`href scheme ${scheme[1]}`);
        } else if (name === 'ol') {
          if (!(attrs.size === 0 || (attrs.size === 1 && /^\d+$/.test(attrs.get('start') ?? '')))) fail('attributes of <ol>');
        } else if (attributes !== '') {
          fail(`attributes on <${name}>`);
        }
        if (!VOID_TAGS.has(name)) stack.push(name);
      }
      i += whole.length;
    } else if (c === '&') {
      if (!ENTITY.test(out.slice(i, i + 6))) fail(`unescaped & at ${i}`);
      i += 1;
    } else {
      if (c === '>' || c === '"' || c === "'") fail(`unescaped ${c} at ${i}`);
      i += 1;
    }
  }
  if (stack.length > 0) fail(`unclosed ${stack.join(', ')}`);
}

/** xorshift32: a small deterministic generator (the Swift tests use the same one). */
function generator(seed) {
  let state = seed >>> 0 || 1;
  return (bound) => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state % bound;
  };
}

const TOKENS = [
  'a', 'Wort', 'ä', 'ß', '👋', 'مرحبا', ' ', '  ', '\t', '\n', '\n\n', '\r\n', '*', '**', '***', '_', '__', '`', '``', '```',
  '~~~', '[', ']', '(', ')', '![', '](', '](/x)', '](javascript:alert(1))', '](<java\tscript:x>)', '](JaVaScRiPt:x)',
  '](&#106;avascript:x)', '](data:text/html,x)', '](https://example.org "t")', '](/x \'t"<>&\')', '](<a b> (t"\'))', ' "', '"', "'", '<', '>', '</p>', '<script>',
  '<img src=x onerror=alert(1)>', '<!--', '-->', '&', '&amp;', '&#106;', '\\', '#', '# ', '### ', '- ', '* ', '+ ', '1. ',
  '2) ', '> ', '>', '    ', '---', '***', 'javascript:', 'vbscript:', 'data:', 'file:', 'http://', 'https://example.org',
  'mailto:a@b.de', '<https://example.org>', '<a@b.de>', '<javascript:x>', 'onerror=', ' onclick="x"', ':', '/', '?', '\u0000',
];

function randomDocument(next) {
  let out = '';
  const length = next(80);
  for (let k = 0; k < length; k += 1) out += TOKENS[next(TOKENS.length)];
  return out;
}

test('the shared vectors: enough of them, unique names', () => {
  assert.ok(cases.length >= 60, `only ${cases.length} vectors`);
  assert.equal(new Set(cases.map((c) => c.name)).size, cases.length);
});

test('the shared vectors', async (t) => {
  for (const c of cases) {
    await t.test(c.name, () => {
      assert.equal(markdownToHtml(c.markdown), c.html);
    });
  }
});

test('every expected output in the vectors passes the safety check', () => {
  for (const c of cases) assertSafe(c.html, c.markdown);
});

test('random and adversarial documents render safe, well-nested markup, deterministically', () => {
  const next = generator(20261122);
  for (let k = 0; k < 3000; k += 1) {
    const doc = randomDocument(next);
    const out = markdownToHtml(doc);
    assertSafe(out, doc);
    assert.equal(markdownToHtml(doc), out);
  }
});

test('hostile link destinations never become an href', () => {
  const hostile = [
    'javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'jAvAsCrIpT:alert(1)', ' javascript:alert(1)', 'javascript&colon;alert(1)',
    '&#106;avascript:alert(1)', '&#x6A;avascript:alert(1)', '%6Aavascript:alert(1)', '<java\tscript:alert(1)>',
    '<java\nscript:alert(1)>', '<java\u0000script:alert(1)>', 'vbscript:msgbox(1)', 'data:text/html;base64,PHNjcmlwdD4=',
    'file:///etc/passwd', '\\javascript:alert(1)', '<javascript:alert(1)>', 'java\u00adscript:alert(1)',
  ];
  for (const dest of hostile) {
    for (const doc of [`[x](${dest})`, `![x](${dest})`, `<${dest}>`, `[x](${dest} "t")`]) {
      const out = markdownToHtml(doc);
      assertSafe(out, doc);
      assert.ok(!/href="[^"]*script/i.test(out), `${JSON.stringify(doc)} → ${out}`);
      assert.ok(!/href="[^"]*(data|file):/i.test(out), `${JSON.stringify(doc)} → ${out}`);
    }
  }
});

const PATHOLOGICAL = {
  'nested quotes': (n) => '>'.repeat(n),
  'open brackets': (n) => '['.repeat(n),
  'brackets and parens': (n) => '[a]('.repeat(n / 4),
  'unclosed links': (n) => '[a](b '.repeat(n / 6),
  'nested link parens': (n) => '[a](x'.repeat(n / 5),
  'unclosed titles': (n) => '[a](b "'.repeat(n / 7),
  'emphasis openers': (n) => '*a '.repeat(n / 3),
  'mixed delimiters': (n) => '*_**__'.repeat(n / 6),
  'backtick runs': (n) => Array.from({ length: Math.floor(Math.sqrt(2 * n)) }, (_, k) => '`'.repeat(k + 1) + 'a').join(''),
  'unclosed autolinks': (n) => '<http://a'.repeat(n / 9),
  'bare urls': (n) => 'https://a.de/('.repeat(n / 14),
  'nested lists': (n) => '- '.repeat(n / 2),
  'list items': (n) => '- a\n'.repeat(n / 4),
  'quote lines': (n) => '> > > a\n'.repeat(n / 8),
  'images': (n) => '![['.repeat(n / 3),
  'closers': (n) => 'a*'.repeat(n / 2),
  'closers without openers': (n) => '*a_ '.repeat(n / 4),
  'links after open brackets': (n) => '['.repeat(n / 2) + '[a](u)'.repeat(n / 12),
};

/** Milliseconds of CPU time (not wall time, so a busy machine hardly matters), best of three. */
function cpuTime(fn) {
  let best = Infinity;
  for (let k = 0; k < 3; k += 1) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

// Completion is the real check: a quadratic step would take hours on 1 MB (the timeout
// turns that into a failure instead of a hang).
test('1 MB of each pathological input renders', { timeout: 300_000 }, () => {
  for (const [name, make] of Object.entries(PATHOLOGICAL)) {
    const input = make(1_000_000);
    assert.ok(input.length > 900_000, name);
    const out = markdownToHtml(input);
    assert.ok(out.length > 0, name);
  }
});

// Not a timing test: a hundred times the input should take about a hundred times the CPU
// time (garbage collection and caches make it up to a few hundred); a quadratic step makes it
// about ten thousand. The bound sits far from both, and a miss is measured again.
test('a hundred times the input takes about a hundred times as long, not ten thousand', { timeout: 300_000 }, () => {
  for (const [name, make] of Object.entries(PATHOLOGICAL)) {
    const small = make(1_000);
    const large = make(100_000);
    markdownToHtml(large); // warm up
    let ratio = Infinity;
    for (let attempt = 0; attempt < 3 && ratio >= 2000; attempt += 1) {
      ratio = cpuTime(() => markdownToHtml(large)) / Math.max(cpuTime(() => markdownToHtml(small)), 0.01);
    }
    assert.ok(ratio < 2000, `${name}: 100× the input took ${ratio.toFixed(0)}× the CPU time`);
  }
});

test('deep nesting is capped, not recursed into', () => {
  const quotes = markdownToHtml(`${'>'.repeat(10_000)} x`);
  assert.equal(quotes.split('<blockquote>').length - 1, 8);
  const lists = markdownToHtml(`${'- '.repeat(10_000)}x`);
  assert.equal(lists.split('<ul>').length - 1, 8);
  const brackets = markdownToHtml(`${'['.repeat(10_000)}a](/u)${']'.repeat(10_000)}`);
  assert.equal(brackets.split('<a ').length - 1, 1);
  assertSafe(brackets, 'brackets');
});

test('renderMarkdown gives a SafeHtml that html`…` embeds as it is', () => {
  const fragment = renderMarkdown('**fett** <script>');
  assert.ok(fragment instanceof SafeHtml);
  assert.equal(fragment.value, '<p><strong>fett</strong> &lt;script&gt;</p>\n');
  assert.equal(html`<div class="prose">${fragment}</div>`.value, '<div class="prose"><p><strong>fett</strong> &lt;script&gt;</p>\n</div>');
  assert.equal(markdownToHtml(null), '');
  assert.equal(markdownToHtml(undefined), '');
});
