// Safe Markdown for user-written texts (recommendations, comments, feedback).
//
// This file and Sources/HubCore/Shared/Markdown.swift are the same renderer written twice;
// both are checked against Tests/Fixtures/markdown-cases.json, so the web client and the
// server's documents show the same HTML for the same text. Change them together.
//
// Supported (a CommonMark-flavoured subset, described for users in Docs/markdown.md):
//   blocks   paragraphs; ATX headings `#` … `######`, shifted by two levels (`#` → <h3>,
//            `##` → <h4>, `###` → <h5>, deeper → <h6>) because the page owns <h1>/<h2>;
//            thematic breaks (`---`, `***`, `___`); fenced code (``` or ~~~, the info
//            string is ignored) and indented code (4 spaces); block quotes (`>`, with lazy
//            continuation lines); bullet lists (`-`, `+`, `*`) and ordered lists (`1.` or
//            `1)`, the first number becomes `start`), nested by indentation, tight or loose.
//   inlines  *em* and _em_, **strong** and __strong__ (CommonMark's delimiter rules, with
//            ASCII character classes); `code spans`; [links](url "title"); autolinks
//            <https://…>, <mailto:…>, <name@example.org> and bare http(s):// addresses;
//            hard line breaks (two spaces or a backslash at the end of a line); backslash
//            escapes of ASCII punctuation. ![alt](url) becomes a link to the image: images are
//            never embedded.
//   not supported, shown as text: raw HTML (always escaped, never passed through), HTML
//            entities (`&amp;` shows as written), setext headings (`===` under a line; a
//            `---` line is always a thematic break), reference links ([a][b], [b]: url),
//            tables, strikethrough, task lists, footnotes.
//
// Safety, by construction: every run of user text goes through escapeText (& < > " '), and
// the only tags produced are p, br, h3–h6, em, strong, code, pre, blockquote, ul, ol, li,
// a and hr, with the attributes href, title, rel and start. A link's URL must be relative
// (path, query or fragment) or use http, https or mailto; anything else (javascript:,
// data:, vbscript:, file:, control characters, `&` before the first `/?#`) drops the link
// and keeps its text. Links get rel="nofollow noopener noreferrer" and no target.
// Nesting is capped (MAX_NESTING containers, MAX_OPEN_BRACKETS open `[`, MAX_LINK_PARENS
// parentheses in a URL); beyond a cap the markers are plain text. Every step is linear in
// the input (code-span closers are indexed once, emphasis uses CommonMark's
// openers_bottom, links deactivate enclosing brackets in O(1)).

import { SafeHtml } from './html.js';

const MAX_NESTING = 8;
const MAX_OPEN_BRACKETS = 32;
const MAX_LINK_PARENS = 32;
const REL = 'nofollow noopener noreferrer';

const TAB = 9;
const NL = 10;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const LT = 60;
const GT = 62;
const QUESTION = 63;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const UNDERSCORE = 95;
const BACKTICK = 96;
const TILDE = 126;
const DEL = 127;

/** Markdown source → HTML string (every text run escaped). */
export function markdownToHtml(source) {
  const text = String(source ?? '').replace(/\r\n?/g, '\n').replace(/\0/g, '\uFFFD');
  return renderBlocks(parseBlocks(text.split('\n'), 0));
}

/**
 * Markdown source → SafeHtml, for html`…` templates and render().
 *
 * This is the one place besides html.js that constructs a SafeHtml. It may, because
 * markdownToHtml builds its output itself from a fixed set of tags and escapes every run of
 * user text and every attribute value (URLs are also checked against the scheme allow-list);
 * user input never reaches the output unescaped. html.js offers no other way to wrap markup.
 */
export function renderMarkdown(source) {
  return new SafeHtml(markdownToHtml(source));
}

// ---------------------------------------------------------------------------------------
// Characters

function isAsciiPunct(c) {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}
function isDigit(c) {
  return c >= 48 && c <= 57;
}
function isAlnum(c) {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isSpaceOrTab(c) {
  return c === SPACE || c === TAB;
}
// Whitespace for the emphasis rules: ASCII only (start and end of text count as whitespace).
function isWhitespace(c) {
  return c === SPACE || c === TAB || c === NL || c === 11 || c === 12 || c === 13;
}
function lowerAscii(c) {
  return c >= 65 && c <= 90 ? c + 32 : c;
}
function startsWithAsciiCI(s, at, lit) {
  if (at + lit.length > s.length) return false;
  for (let k = 0; k < lit.length; k += 1) {
    if (lowerAscii(s.charCodeAt(at + k)) !== lit.charCodeAt(k)) return false;
  }
  return true;
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function escapeText(s) {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function trimEndSpaces(s) {
  let e = s.length;
  while (e > 0 && isSpaceOrTab(s.charCodeAt(e - 1))) e -= 1;
  return s.slice(0, e);
}
function trimSpaces(s) {
  let b = 0;
  while (b < s.length && isSpaceOrTab(s.charCodeAt(b))) b += 1;
  return trimEndSpaces(s.slice(b));
}

/** Backslash escapes of ASCII punctuation → the character. */
function unescapePunct(s) {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let k = 0;
  while (k < s.length) {
    if (s.charCodeAt(k) === BACKSLASH && k + 1 < s.length && isAsciiPunct(s.charCodeAt(k + 1))) {
      out += s[k + 1];
      k += 2;
    } else {
      out += s[k];
      k += 1;
    }
  }
  return out;
}

/**
 * The URL policy: relative URLs (path, query, fragment) and http, https and mailto.
 * Returns null for anything else; the caller then renders the link text only.
 */
function safeHref(url) {
  let head = url.length;
  for (let k = 0; k < url.length; k += 1) {
    const c = url.charCodeAt(k);
    if (c < SPACE || c === DEL) return null;
    if (head === url.length && (c === SLASH || c === QUESTION || c === HASH)) head = k;
  }
  const colon = url.indexOf(':');
  if (colon >= 0 && colon < head) {
    return startsWithAsciiCI(url, 0, 'http:') || startsWithAsciiCI(url, 0, 'https:') || startsWithAsciiCI(url, 0, 'mailto:')
      ? url
      : null;
  }
  // An ampersand before the first "/?#" looks like an entity-obfuscated scheme.
  if (url.slice(0, head).indexOf('&') >= 0) return null;
  return url;
}

// ---------------------------------------------------------------------------------------
// Blocks

/** Tabs in the leading run of spaces and tabs become spaces (tab stops every 4 columns). */
function expandIndent(line) {
  let end = 0;
  let hasTab = false;
  while (end < line.length && isSpaceOrTab(line.charCodeAt(end))) {
    if (line.charCodeAt(end) === TAB) hasTab = true;
    end += 1;
  }
  if (!hasTab) return line;
  return expandRun(line, 0, end);
}

/** Expands tabs in line[from..<to] (spaces and tabs only; column = index before `from`). */
function expandRun(line, from, to) {
  let out = '';
  let col = from;
  for (let k = from; k < to; k += 1) {
    if (line.charCodeAt(k) === TAB) {
      const w = 4 - (col % 4);
      out += '    '.slice(0, w);
      col += w;
    } else {
      out += ' ';
      col += 1;
    }
  }
  return line.slice(0, from) + out + line.slice(to);
}

function indentOf(line) {
  let k = 0;
  while (k < line.length && line.charCodeAt(k) === SPACE) k += 1;
  return k;
}

function isBlank(line) {
  for (let k = 0; k < line.length; k += 1) {
    if (!isSpaceOrTab(line.charCodeAt(k))) return false;
  }
  return true;
}

function stripIndent(line, max) {
  let k = 0;
  while (k < max && k < line.length && line.charCodeAt(k) === SPACE) k += 1;
  return line.slice(k);
}

function fenceStart(line, ind) {
  const c = line.charCodeAt(ind);
  if (c !== BACKTICK && c !== TILDE) return null;
  let j = ind;
  while (j < line.length && line.charCodeAt(j) === c) j += 1;
  if (j - ind < 3) return null;
  if (c === BACKTICK && line.indexOf('`', j) >= 0) return null;
  return { ch: c, len: j - ind, indent: ind };
}

function isFenceClose(line, fence) {
  const ind = indentOf(line);
  if (ind > 3) return false;
  let j = ind;
  while (j < line.length && line.charCodeAt(j) === fence.ch) j += 1;
  if (j - ind < fence.len) return false;
  return isBlank(line.slice(j));
}

function atxHeading(line, ind) {
  let j = ind;
  while (j < line.length && j - ind < 7 && line.charCodeAt(j) === HASH) j += 1;
  const level = j - ind;
  if (level < 1 || level > 6) return null;
  if (j < line.length && !isSpaceOrTab(line.charCodeAt(j))) return null;
  let text = trimSpaces(line.slice(j));
  let e = text.length;
  while (e > 0 && text.charCodeAt(e - 1) === HASH) e -= 1;
  if (e < text.length) {
    if (e === 0) text = '';
    else if (isSpaceOrTab(text.charCodeAt(e - 1))) text = trimEndSpaces(text.slice(0, e));
  }
  return { level, text };
}

function isThematicBreak(line, ind) {
  const c = line.charCodeAt(ind);
  if (c !== DASH && c !== STAR && c !== UNDERSCORE) return false;
  let count = 0;
  for (let k = ind; k < line.length; k += 1) {
    const d = line.charCodeAt(k);
    if (d === c) count += 1;
    else if (!isSpaceOrTab(d)) return false;
  }
  return count >= 3;
}

/**
 * A list item's first line: { ordered, delim, start, width, content, empty } or null.
 * `width` is the column where the item's content starts; later lines indented at least
 * that far belong to the item.
 */
function listMarker(input) {
  let line = input;
  const ind = indentOf(line);
  if (ind > 3 || ind >= line.length) return null;
  const c = line.charCodeAt(ind);
  let p;
  let ordered = false;
  let start = 0;
  let delim;
  if (c === DASH || c === PLUS || c === STAR) {
    delim = c;
    p = ind + 1;
  } else if (isDigit(c)) {
    let q = ind;
    while (q < line.length && q - ind < 10 && isDigit(line.charCodeAt(q))) q += 1;
    if (q - ind > 9 || q >= line.length) return null;
    const d = line.charCodeAt(q);
    if (d !== DOT && d !== RPAREN) return null;
    ordered = true;
    start = parseInt(line.slice(ind, q), 10);
    delim = d;
    p = q + 1;
  } else {
    return null;
  }
  if (p < line.length && !isSpaceOrTab(line.charCodeAt(p))) return null;
  let e = p;
  let hasTab = false;
  while (e < line.length && isSpaceOrTab(line.charCodeAt(e))) {
    if (line.charCodeAt(e) === TAB) hasTab = true;
    e += 1;
  }
  if (hasTab) {
    const rest = line.length - e;
    line = expandRun(line, p, e);
    e = line.length - rest;
  }
  if (e >= line.length) return { ordered, delim, start, width: p + 1, content: '', empty: true };
  const spaces = e - p;
  const width = spaces > 4 ? p + 1 : e;
  return { ordered, delim, start, width, content: line.slice(width), empty: false };
}

/** Whether a line ends a paragraph (and is not a lazy continuation line). */
function interrupts(line, depth) {
  const ind = indentOf(line);
  if (ind > 3 || ind >= line.length) return false;
  if (fenceStart(line, ind) || atxHeading(line, ind) || isThematicBreak(line, ind)) return true;
  if (depth < MAX_NESTING) {
    if (line.charCodeAt(ind) === GT) return true;
    const m = listMarker(line);
    if (m && !m.empty && (!m.ordered || m.start === 1)) return true;
  }
  return false;
}

function codeText(lines) {
  let out = '';
  for (const l of lines) out += `${l}\n`;
  return out;
}

function parseBlocks(input, depth) {
  const lines = input.map(expandIndent);
  const n = lines.length;
  const blocks = [];
  let blank = false;
  const add = (block) => {
    block.blankBefore = blank;
    blank = false;
    blocks.push(block);
  };
  let i = 0;
  while (i < n) {
    const line = lines[i];
    if (isBlank(line)) {
      blank = true;
      i += 1;
      continue;
    }
    const ind = indentOf(line);

    if (ind >= 4) {
      let j = i;
      let last = i;
      while (j < n && (isBlank(lines[j]) || indentOf(lines[j]) >= 4)) {
        if (!isBlank(lines[j])) last = j;
        j += 1;
      }
      const body = [];
      for (let k = i; k <= last; k += 1) body.push(stripIndent(lines[k], 4));
      add({ type: 'code', text: codeText(body) });
      i = last + 1;
      continue;
    }

    const fence = fenceStart(line, ind);
    if (fence) {
      const body = [];
      let j = i + 1;
      while (j < n && !isFenceClose(lines[j], fence)) {
        body.push(stripIndent(lines[j], fence.indent));
        j += 1;
      }
      add({ type: 'code', text: codeText(body) });
      i = j < n ? j + 1 : n;
      continue;
    }

    const heading = atxHeading(line, ind);
    if (heading) {
      add({ type: 'heading', level: heading.level, text: heading.text });
      i += 1;
      continue;
    }

    if (isThematicBreak(line, ind)) {
      add({ type: 'hr' });
      i += 1;
      continue;
    }

    if (depth < MAX_NESTING && line.charCodeAt(ind) === GT) {
      const inner = [];
      let j = i;
      while (j < n) {
        const l = lines[j];
        const k = indentOf(l);
        if (k <= 3 && l.charCodeAt(k) === GT) {
          let s = k + 1;
          if (s < l.length && isSpaceOrTab(l.charCodeAt(s))) s += 1;
          inner.push(l.slice(s));
          j += 1;
        } else if (!isBlank(l) && !isBlank(inner[inner.length - 1]) && !interrupts(l, depth)) {
          inner.push(l);
          j += 1;
        } else {
          break;
        }
      }
      add({ type: 'quote', children: parseBlocks(inner, depth + 1) });
      i = j;
      continue;
    }

    const marker = depth < MAX_NESTING ? listMarker(line) : null;
    if (marker) {
      const list = { type: 'list', ordered: marker.ordered, start: marker.start, tight: true, items: [] };
      let m = marker;
      let j = i;
      let trailing = 0;
      for (;;) {
        const item = [m.content];
        let lastBlank = m.empty;
        j += 1;
        while (j < n) {
          const l = lines[j];
          if (isBlank(l)) {
            if (m.empty && item.length === 1) break; // an item starts with at most one blank line
            item.push('');
            lastBlank = true;
            j += 1;
          } else if (indentOf(l) >= m.width) {
            item.push(l.slice(m.width));
            lastBlank = false;
            j += 1;
          } else if (!lastBlank && !interrupts(l, depth) && !listMarker(l)) {
            item.push(l);
            j += 1;
          } else {
            break;
          }
        }
        trailing = 0;
        while (item.length > 1 && item[item.length - 1] === '') {
          item.pop();
          trailing += 1;
        }
        const children = parseBlocks(item, depth + 1);
        for (let k = 1; k < children.length; k += 1) {
          if (children[k].blankBefore) list.tight = false;
        }
        list.items.push(children);
        if (j >= n) break;
        const next = lines[j];
        const nextInd = indentOf(next);
        if (nextInd <= 3 && !isThematicBreak(next, nextInd)) {
          const nm = listMarker(next);
          if (nm && nm.ordered === m.ordered && nm.delim === m.delim) {
            if (trailing > 0) list.tight = false;
            m = nm;
            continue;
          }
        }
        break;
      }
      add(list);
      blank = trailing > 0;
      i = j;
      continue;
    }

    const para = [line.slice(ind)];
    let j = i + 1;
    while (j < n && !isBlank(lines[j]) && !interrupts(lines[j], depth)) {
      para.push(lines[j].slice(indentOf(lines[j])));
      j += 1;
    }
    add({ type: 'para', text: trimEndSpaces(para.join('\n')) });
    i = j;
  }
  return blocks;
}

function renderBlocks(blocks) {
  let out = '';
  for (const b of blocks) out += `${renderBlock(b)}\n`;
  return out;
}

function renderBlock(b) {
  switch (b.type) {
    case 'para':
      return `<p>${renderInline(b.text)}</p>`;
    case 'heading': {
      const tag = `h${Math.min(b.level + 2, 6)}`;
      return `<${tag}>${renderInline(b.text)}</${tag}>`;
    }
    case 'hr':
      return '<hr>';
    case 'code':
      return `<pre><code>${escapeText(b.text)}</code></pre>`;
    case 'quote':
      return `<blockquote>\n${renderBlocks(b.children)}</blockquote>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      let out = b.ordered && b.start !== 1 ? `<ol start="${b.start}">\n` : `<${tag}>\n`;
      for (const item of b.items) {
        let li = '<li>';
        for (const child of item) {
          if (b.tight && child.type === 'para') {
            li += renderInline(child.text);
          } else {
            if (!li.endsWith('\n')) li += '\n';
            li += `${renderBlock(child)}\n`;
          }
        }
        out += `${li}</li>\n`;
      }
      return `${out}</${tag}>`;
    }
    default:
      throw new Error(`markdown: unknown block ${b.type}`);
  }
}

// ---------------------------------------------------------------------------------------
// Inlines

// Node kinds of the flat inline list. Emphasis is not a tree: a delimiter run records the
// tags it closes (before its leftover characters) and opens (after them), so rendering needs
// no recursion however deep the nesting.
const TEXT = 0;
const DELIM = 1;
const CODE = 2;
const HARD_BREAK = 3;
const SOFT_BREAK = 4;
const AUTOLINK = 5;
const LINK_OPEN = 6;
const LINK_CLOSE = 7;

function isSpecial(c) {
  switch (c) {
    case BACKSLASH: case BACKTICK: case STAR: case UNDERSCORE: case LBRACKET: case RBRACKET:
    case BANG: case LT: case NL: case 104 /* h */: case 72 /* H */:
      return true;
    default:
      return false;
  }
}

function renderInline(s) {
  return renderNodes(parseInline(s));
}

function parseInline(s) {
  const n = s.length;
  const nodes = [];
  let acc = '';
  const flush = () => {
    if (acc !== '') {
      nodes.push({ kind: TEXT, text: acc });
      acc = '';
    }
  };

  // The delimiter stack as a doubly linked list over arrays; a delimiter's index is its
  // position in the text order, which processEmphasis uses as openers_bottom.
  const dNode = [];
  const dChar = [];
  const dOrig = [];
  const dCount = [];
  const dOpen = [];
  const dClose = [];
  const dPrev = [];
  const dNext = [];
  let tail = -1;
  const unlink = (d) => {
    const p = dPrev[d];
    const q = dNext[d];
    if (p >= 0) dNext[p] = q;
    if (q >= 0) dPrev[q] = p;
    else tail = p;
  };

  const processEmphasis = (bottom) => {
    let first = -1;
    for (let d = tail; d > bottom; d = dPrev[d]) first = d;
    const keep = first >= 0 ? dPrev[first] : tail; // the last delimiter at or below bottom
    const openersBottom = new Array(12).fill(bottom);
    let c = first;
    while (c >= 0) {
      if (!dClose[c]) {
        c = dNext[c];
        continue;
      }
      const ch = dChar[c];
      const key = (ch === STAR ? 0 : 6) + (dOrig[c] % 3) * 2 + (dOpen[c] ? 1 : 0);
      let o = dPrev[c];
      let found = false;
      while (o > bottom && o > openersBottom[key]) {
        if (dChar[o] === ch && dOpen[o]) {
          const oddMatch = (dClose[o] || dOpen[c]) && (dOrig[o] + dOrig[c]) % 3 === 0 && !(dOrig[o] % 3 === 0 && dOrig[c] % 3 === 0);
          if (!oddMatch) {
            found = true;
            break;
          }
        }
        o = dPrev[o];
      }
      if (found) {
        const use = dCount[o] >= 2 && dCount[c] >= 2 ? 2 : 1;
        const tag = use === 2 ? 'strong' : 'em';
        dCount[o] -= use;
        dCount[c] -= use;
        const openerNode = nodes[dNode[o]];
        const closerNode = nodes[dNode[c]];
        openerNode.count -= use;
        openerNode.opens = `<${tag}>${openerNode.opens}`;
        closerNode.count -= use;
        closerNode.closes += `</${tag}>`;
        // Delimiters between opener and closer become plain text.
        dNext[o] = c;
        dPrev[c] = o;
        if (dCount[o] === 0) unlink(o);
        if (dCount[c] === 0) {
          const next = dNext[c];
          unlink(c);
          c = next;
        }
      } else {
        openersBottom[key] = dPrev[c];
        const next = dNext[c];
        if (!dOpen[c]) unlink(c);
        c = next;
      }
    }
    // Everything above bottom is done.
    if (first >= 0) {
      tail = keep;
      if (keep >= 0) dNext[keep] = -1;
    }
  };

  // Code-span closers: every backtick run, indexed once by length.
  let backtickRuns = null;
  const findCodeCloser = (len, from) => {
    if (backtickRuns === null) {
      backtickRuns = new Map();
      let k = 0;
      while (k < n) {
        if (s.charCodeAt(k) === BACKTICK) {
          const b = k;
          while (k < n && s.charCodeAt(k) === BACKTICK) k += 1;
          const runs = backtickRuns.get(k - b);
          if (runs) runs.positions.push(b);
          else backtickRuns.set(k - b, { positions: [b], next: 0 });
        } else {
          k += 1;
        }
      }
    }
    const runs = backtickRuns.get(len);
    if (!runs) return -1;
    while (runs.next < runs.positions.length && runs.positions[runs.next] < from) runs.next += 1;
    return runs.next < runs.positions.length ? runs.positions[runs.next] : -1;
  };

  const brackets = []; // { node, bottom }
  let activeFrom = 0; // brackets below this index are inside a link's reach: inactive

  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    switch (c) {
      case BACKSLASH: {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : -1;
        if (d === NL) {
          flush();
          nodes.push({ kind: HARD_BREAK });
          i += 2;
        } else if (isAsciiPunct(d)) {
          acc += s[i + 1];
          i += 2;
        } else {
          acc += '\\';
          i += 1;
        }
        continue;
      }
      case BACKTICK: {
        let j = i;
        while (j < n && s.charCodeAt(j) === BACKTICK) j += 1;
        const len = j - i;
        const close = findCodeCloser(len, j);
        if (close < 0) {
          acc += s.slice(i, j);
          i = j;
          continue;
        }
        let code = s.slice(j, close).replace(/\n/g, ' ');
        if (code.length >= 2 && code.charCodeAt(0) === SPACE && code.charCodeAt(code.length - 1) === SPACE && !/^ +$/.test(code)) {
          code = code.slice(1, -1);
        }
        flush();
        nodes.push({ kind: CODE, text: code });
        i = close + len;
        continue;
      }
      case STAR:
      case UNDERSCORE: {
        let j = i;
        while (j < n && s.charCodeAt(j) === c) j += 1;
        const before = i === 0 ? NL : s.charCodeAt(i - 1);
        const after = j >= n ? NL : s.charCodeAt(j);
        const leftFlanking = !isWhitespace(after) && (!isAsciiPunct(after) || isWhitespace(before) || isAsciiPunct(before));
        const rightFlanking = !isWhitespace(before) && (!isAsciiPunct(before) || isWhitespace(after) || isAsciiPunct(after));
        let canOpen;
        let canClose;
        if (c === STAR) {
          canOpen = leftFlanking;
          canClose = rightFlanking;
        } else {
          canOpen = leftFlanking && (!rightFlanking || isAsciiPunct(before));
          canClose = rightFlanking && (!leftFlanking || isAsciiPunct(after));
        }
        flush();
        const node = { kind: DELIM, ch: s[i], count: j - i, opens: '', closes: '' };
        if (canOpen || canClose) {
          const d = dNode.length;
          dNode.push(nodes.length);
          dChar.push(c);
          dOrig.push(j - i);
          dCount.push(j - i);
          dOpen.push(canOpen);
          dClose.push(canClose);
          dPrev.push(tail);
          dNext.push(-1);
          if (tail >= 0) dNext[tail] = d;
          tail = d;
        }
        nodes.push(node);
        i = j;
        continue;
      }
      case BANG:
      case LBRACKET: {
        const image = c === BANG;
        if (image && !(i + 1 < n && s.charCodeAt(i + 1) === LBRACKET)) {
          acc += '!';
          i += 1;
          continue;
        }
        const width = image ? 2 : 1;
        if (brackets.length >= MAX_OPEN_BRACKETS) {
          acc += s.slice(i, i + width);
          i += width;
          continue;
        }
        flush();
        brackets.push({ node: nodes.length, bottom: dNode.length - 1 });
        nodes.push({ kind: TEXT, text: s.slice(i, i + width) });
        i += width;
        continue;
      }
      case RBRACKET: {
        if (brackets.length === 0) {
          acc += ']';
          i += 1;
          continue;
        }
        const opener = brackets.pop();
        const wasActive = brackets.length >= activeFrom;
        if (activeFrom > brackets.length) activeFrom = brackets.length;
        const link = wasActive ? parseLinkTail(s, i + 1) : null;
        if (!link) {
          acc += ']';
          i += 1;
          continue;
        }
        flush();
        processEmphasis(opener.bottom);
        for (let k = opener.node + 1; k < nodes.length; k += 1) {
          if (nodes[k].kind === AUTOLINK) nodes[k] = { kind: TEXT, text: nodes[k].source };
        }
        const href = safeHref(link.dest);
        if (href === null) {
          nodes[opener.node] = { kind: TEXT, text: '' };
        } else {
          nodes[opener.node] = { kind: LINK_OPEN, href, title: link.title };
          nodes.push({ kind: LINK_CLOSE });
        }
        activeFrom = brackets.length; // no links inside links
        i = link.end;
        continue;
      }
      case LT: {
        const auto = parseAutolink(s, i);
        if (auto) {
          flush();
          nodes.push(auto);
          i = auto.end;
        } else {
          acc += '<';
          i += 1;
        }
        continue;
      }
      case NL: {
        let k = acc.length;
        while (k > 0 && acc.charCodeAt(k - 1) === SPACE) k -= 1;
        const spaces = acc.length - k;
        acc = acc.slice(0, k);
        flush();
        nodes.push({ kind: spaces >= 2 ? HARD_BREAK : SOFT_BREAK });
        i += 1;
        continue;
      }
      case 104: // h
      case 72: { // H
        if (i === 0 || !isAlnum(s.charCodeAt(i - 1))) {
          const url = parseBareUrl(s, i);
          if (url) {
            flush();
            nodes.push(url);
            i = url.end;
            continue;
          }
        }
        acc += s[i];
        i += 1;
        continue;
      }
      default: {
        let j = i + 1;
        while (j < n && !isSpecial(s.charCodeAt(j))) j += 1;
        acc += s.slice(i, j);
        i = j;
      }
    }
  }
  flush();
  processEmphasis(-1);
  return nodes;
}

/** `(dest "title")` right after `]`: { dest, title, end } or null. */
function parseLinkTail(s, p) {
  const n = s.length;
  if (p >= n || s.charCodeAt(p) !== LPAREN) return null;
  const skip = (k) => {
    while (k < n && (isSpaceOrTab(s.charCodeAt(k)) || s.charCodeAt(k) === NL)) k += 1;
    return k;
  };
  let q = skip(p + 1);
  let dest;
  if (q < n && s.charCodeAt(q) === LT) {
    let k = q + 1;
    while (k < n) {
      const c = s.charCodeAt(k);
      if (c === GT) break;
      if (c === LT || c === NL) return null;
      k += c === BACKSLASH && k + 1 < n && isAsciiPunct(s.charCodeAt(k + 1)) ? 2 : 1;
    }
    if (k >= n) return null;
    dest = unescapePunct(s.slice(q + 1, k)).replace(/ /g, '%20');
    q = k + 1;
  } else {
    let k = q;
    let depth = 0;
    while (k < n) {
      const c = s.charCodeAt(k);
      if (c <= SPACE || c === DEL) break;
      if (c === BACKSLASH && k + 1 < n && isAsciiPunct(s.charCodeAt(k + 1))) {
        k += 2;
        continue;
      }
      if (c === LPAREN) {
        depth += 1;
        if (depth > MAX_LINK_PARENS) return null;
      } else if (c === RPAREN) {
        if (depth === 0) break;
        depth -= 1;
      }
      k += 1;
    }
    if (depth !== 0) return null;
    dest = unescapePunct(s.slice(q, k));
    q = k;
  }
  let w = skip(q);
  let title = null;
  if (w > q && w < n) {
    const open = s.charCodeAt(w);
    if (open === DQUOTE || open === SQUOTE || open === LPAREN) {
      const close = open === LPAREN ? RPAREN : open;
      let k = w + 1;
      while (k < n) {
        const c = s.charCodeAt(k);
        if (c === BACKSLASH && k + 1 < n && isAsciiPunct(s.charCodeAt(k + 1))) {
          k += 2;
          continue;
        }
        if (c === close) break;
        if (open === LPAREN && c === LPAREN) return null;
        k += 1;
      }
      if (k >= n) return null;
      title = unescapePunct(s.slice(w + 1, k));
      w = skip(k + 1);
    }
  }
  if (w >= n || s.charCodeAt(w) !== RPAREN) return null;
  return { dest, title, end: w + 1 };
}

function isEmail(s) {
  const at = s.indexOf('@');
  if (at <= 0) return false;
  for (let k = 0; k < at; k += 1) {
    const c = s.charCodeAt(k);
    if (!isAlnum(c) && ".!#$%&'*+/=?^_`{|}~-".indexOf(s[k]) < 0) return false;
  }
  const labels = s.slice(at + 1).split('.');
  for (const label of labels) {
    if (label.length === 0 || label.length > 63) return false;
    if (label.charCodeAt(0) === DASH || label.charCodeAt(label.length - 1) === DASH) return false;
    for (let k = 0; k < label.length; k += 1) {
      const c = label.charCodeAt(k);
      if (!isAlnum(c) && c !== DASH) return false;
    }
  }
  return true;
}

/** `<https://…>`, `<mailto:…>` or `<name@host>` at s[i]. */
function parseAutolink(s, i) {
  const n = s.length;
  let j = i + 1;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === GT) break;
    if (c === LT || c <= SPACE || c === DEL) return null;
    j += 1;
  }
  if (j >= n) return null;
  const body = s.slice(i + 1, j);
  let href = null;
  if ((startsWithAsciiCI(body, 0, 'http://') && body.length > 7)
    || (startsWithAsciiCI(body, 0, 'https://') && body.length > 8)
    || (startsWithAsciiCI(body, 0, 'mailto:') && body.length > 7)) {
    href = body;
  } else if (isEmail(body)) {
    href = `mailto:${body}`;
  }
  if (href === null) return null;
  return { kind: AUTOLINK, href, text: body, source: s.slice(i, j + 1), end: j + 1 };
}

function isBareUrlStop(c) {
  return c <= SPACE || c === DEL || c === LT || c === GT || c === DQUOTE || c === BACKTICK || c === LBRACKET || c === RBRACKET;
}
function isTrailingPunct(c) {
  switch (c) {
    case 63: case 33: case 46: case 44: case 58: case 59: case 42: case 95: case 126: case 39: // ? ! . , : ; * _ ~ '
    case 0x201C: case 0x201D: case 0x2018: case 0x2019: case 0xAB: case 0xBB: // “ ” ‘ ’ « »
      return true;
    default:
      return false;
  }
}

/** A bare http:// or https:// address at s[i] (GFM-style trailing punctuation rules). */
function parseBareUrl(s, i) {
  let p;
  if (startsWithAsciiCI(s, i, 'https://')) p = i + 8;
  else if (startsWithAsciiCI(s, i, 'http://')) p = i + 7;
  else return null;
  const n = s.length;
  let j = p;
  let opens = 0;
  let closes = 0;
  while (j < n && !isBareUrlStop(s.charCodeAt(j))) {
    if (s.charCodeAt(j) === LPAREN) opens += 1;
    else if (s.charCodeAt(j) === RPAREN) closes += 1;
    j += 1;
  }
  while (j > p) {
    const c = s.charCodeAt(j - 1);
    if (isTrailingPunct(c)) {
      j -= 1;
    } else if (c === RPAREN && closes > opens) {
      closes -= 1;
      j -= 1;
    } else {
      break;
    }
  }
  if (j === p) return null;
  const url = s.slice(i, j);
  return { kind: AUTOLINK, href: url, text: url, source: url, end: j };
}

function renderNodes(nodes) {
  let out = '';
  for (const node of nodes) {
    switch (node.kind) {
      case TEXT:
        out += escapeText(node.text);
        break;
      case DELIM:
        out += node.closes + node.ch.repeat(node.count) + node.opens;
        break;
      case CODE:
        out += `<code>${escapeText(node.text)}</code>`;
        break;
      case HARD_BREAK:
        out += '<br>\n';
        break;
      case SOFT_BREAK:
        out += '\n';
        break;
      case AUTOLINK:
        out += `<a href="${escapeText(node.href)}" rel="${REL}">${escapeText(node.text)}</a>`;
        break;
      case LINK_OPEN:
        out += `<a href="${escapeText(node.href)}"`;
        if (node.title) out += ` title="${escapeText(node.title)}"`;
        out += ` rel="${REL}">`;
        break;
      case LINK_CLOSE:
        out += '</a>';
        break;
      default:
        throw new Error(`markdown: unknown inline ${node.kind}`);
    }
  }
  return out;
}
