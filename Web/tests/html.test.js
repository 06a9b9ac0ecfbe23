import { test } from 'node:test';
import assert from 'node:assert/strict';
import { html, render, attrs, join, escapeHtml, sanitizeUrl, SafeHtml } from '../lib/html.js';

const XSS = '<img src=x onerror=alert(1)><script>alert(2)</script>';

test('text values are escaped', () => {
  const out = html`<p>${XSS}</p>`.toString();
  assert.equal(out, '<p>&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;</p>');
  assert.ok(!out.includes('<img'));
});

test('all five special characters and backtick are escaped', () => {
  assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
});

test('double-quoted attribute values are escaped and cannot break out', () => {
  const out = html`<a title="${'" onmouseover="alert(1)'}">x</a>`.toString();
  assert.equal(out, '<a title="&quot; onmouseover=&quot;alert(1)">x</a>');
});

test('single-quoted attribute values are escaped', () => {
  const out = html`<a title='${"' onclick='x"}'>x</a>`.toString();
  assert.equal(out, "<a title='&#39; onclick=&#39;x'>x</a>");
});

test('unquoted attribute position gets quotes added', () => {
  const out = html`<input value=${'a b onfocus=alert(1)'}>`.toString();
  assert.equal(out, '<input value="a b onfocus=alert(1)">');
});

test('interpolation inside an unquoted value that already started throws', () => {
  assert.throws(() => html`<input value=a${'b'}>`, /unquoted/);
});

test('event handler attributes refuse values', () => {
  assert.throws(() => html`<button onclick="${'x'}">`, /event handler/);
  assert.throws(() => html`<button ONCLICK=${'x'}>`, /event handler/);
});

test('style and srcdoc attributes refuse values', () => {
  assert.throws(() => html`<p style="${'color:red'}">`, /style/);
  assert.throws(() => html`<iframe srcdoc="${'<p>'}">`, /srcdoc/);
});

test('javascript: URLs are neutralised in URL attributes', () => {
  assert.equal(html`<a href="${'javascript:alert(1)'}">x</a>`.toString(), '<a href="about:invalid#blocked">x</a>');
  assert.equal(html`<a href="${' JaVa\tScRiPt:alert(1)'}">x</a>`.toString(), '<a href="about:invalid#blocked">x</a>');
  assert.equal(html`<img src="${'data:text/html,<b>'}">`.toString(), '<img src="about:invalid#blocked">');
  assert.equal(html`<a href="${'https://example.org/?a=1&b=2'}">x</a>`.toString(), '<a href="https://example.org/?a=1&amp;b=2">x</a>');
  assert.equal(html`<a href="${'#/workspaces/1'}">x</a>`.toString(), '<a href="#/workspaces/1">x</a>');
});

test('a URL attribute with a static prefix keeps its scheme and escapes the rest', () => {
  const out = html`<a href="#/workspaces/${'javascript:alert(1)"x'}">x</a>`.toString();
  assert.equal(out, '<a href="#/workspaces/javascript:alert(1)&quot;x">x</a>');
});

test('sanitizeUrl allows relative, http(s), mailto, tel and otpauth', () => {
  for (const ok of ['/a', 'a/b', '#x', '?q=1', 'http://x', 'https://x', 'mailto:a@b', 'tel:123', 'otpauth://totp/Roundtable:a%40b?secret=JBSWY3DP&issuer=Roundtable']) {
    assert.equal(sanitizeUrl(ok), ok);
  }
  for (const bad of ['javascript:x', 'vbscript:x', 'data:x', 'file:///etc']) {
    assert.equal(sanitizeUrl(bad), 'about:invalid#blocked');
  }
});

test('nested templates are not escaped twice', () => {
  const inner = html`<b>${'<i>'}</b>`;
  assert.equal(html`<p>${inner}</p>`.toString(), '<p><b>&lt;i&gt;</b></p>');
});

test('arrays are concatenated, each item escaped', () => {
  const out = html`<ul>${['<a>', html`<li>${'&'}</li>`]}</ul>`.toString();
  assert.equal(out, '<ul>&lt;a&gt;<li>&amp;</li></ul>');
});

test('null, undefined and false render as nothing; numbers as text', () => {
  assert.equal(html`<p>${null}${undefined}${false}${0}${42}</p>`.toString(), '<p>042</p>');
});

test('a template in attribute context is escaped as text', () => {
  const out = html`<a title="${html`<b>`}">x</a>`.toString();
  assert.equal(out, '<a title="&lt;b&gt;">x</a>');
});

test('attrs() writes boolean and valued attributes, escaping values', () => {
  const out = html`<input ${attrs({ required: true, disabled: false, hidden: null, 'aria-describedby': ['a', null, 'b'], value: '"x"' })}>`.toString();
  assert.equal(out, '<input  required aria-describedby="a b" value="&quot;x&quot;" >');
});

test('attrs() refuses event handlers, style and bad names; sanitises URLs', () => {
  assert.throws(() => attrs({ onclick: 'x' }), /event handler/);
  assert.throws(() => attrs({ style: 'x' }), /style/);
  assert.throws(() => attrs({ 'a b': 'x' }), /invalid attribute name/);
  assert.equal(html`<a ${attrs({ href: 'javascript:1' })}>`.toString(), '<a  href="about:invalid#blocked" >');
});

test('plain strings in attribute position throw', () => {
  assert.throws(() => html`<input ${'autofocus onfocus=alert(1)'}>`, /attrs/);
  assert.equal(html`<input ${''}>`.toString(), '<input >');
});

test('dynamic tag and attribute names throw', () => {
  assert.throws(() => html`<${'script'}>`, /not allowed|tag/);
  assert.throws(() => html`<div data-${'x'}="1">`, /attribute names/);
  assert.throws(() => html`</${'div'}>`, /tag/);
});

test('script, style and comment bodies refuse interpolation', () => {
  assert.throws(() => html`<script>var a = ${'1'};</script>`, /script\/style/);
  assert.throws(() => html`<style>p{color:${'red'}}</style>`, /script\/style/);
  assert.throws(() => html`<!-- ${'x'} -->`, /comment/);
});

test('after a closed script element, text context resumes', () => {
  const out = html`<script src="/a.js"></script><p>${'<b>'}</p>`.toString();
  assert.equal(out, '<script src="/a.js"></script><p>&lt;b&gt;</p>');
});

test('context tracking across several attributes and tags', () => {
  const out = html`<div class="a" data-x='y' hidden><span title="${'"'}">${'<'}</span><input value=${'>'}></div>`.toString();
  assert.equal(out, '<div class="a" data-x=\'y\' hidden><span title="&quot;">&lt;</span><input value="&gt;"></div>');
});

test('textarea content is escaped text', () => {
  assert.equal(html`<textarea>${'</textarea><script>'}</textarea>`.toString(), '<textarea>&lt;/textarea&gt;&lt;script&gt;</textarea>');
});

test('greater-than inside a quoted attribute does not end the tag', () => {
  const out = html`<a title="a>b" href="${'javascript:x'}">x</a>`.toString();
  assert.equal(out, '<a title="a>b" href="about:invalid#blocked">x</a>');
});

test('join() joins with a separator', () => {
  assert.equal(join(['<a>', html`<b></b>`], html`<br>`).toString(), '&lt;a&gt;<br><b></b>');
  assert.equal(join(['a', 'b'], ', ').toString(), 'a, b');
});

test('render() writes innerHTML only for SafeHtml', () => {
  const target = { innerHTML: '' };
  render(target, html`<p>${XSS}</p>`);
  assert.ok(target.innerHTML.startsWith('<p>&lt;img'));
  assert.throws(() => render(target, '<p>raw</p>'), TypeError);
  assert.throws(() => render(target, { toString: () => '<p>' }), TypeError);
  assert.throws(() => render(null, html`<p></p>`), TypeError);
});

test('SafeHtml cannot be forged by mutation', () => {
  const safe = html`<p>${'x'}</p>`;
  assert.ok(safe instanceof SafeHtml);
  assert.ok(Object.isFrozen(safe));
  assert.throws(() => {
    'use strict';
    safe.value = '<script>';
  });
  assert.equal(safe.toString(), '<p>x</p>');
});
