// Word-level differences of a recommendation's history, as the hub sends them:
// [{op: 'equal'|'insert'|'delete', text}]. Inserted text is shown in <ins>, deleted text in
// <del>; both carry a visually hidden text alternative ("inserted: … end of insertion"),
// since screen readers do not announce <ins>/<del> by default and colour must not be the
// only sign. Everything goes through html``, so the texts are always inert.

import { html } from './html.js';

const OPS = new Set(['equal', 'insert', 'delete']);

/** Runs that are well formed (unknown ops and empty texts dropped, neighbours of one op joined). */
export function cleanRuns(runs) {
  const out = [];
  for (const run of Array.isArray(runs) ? runs : []) {
    if (!run || !OPS.has(run.op) || typeof run.text !== 'string' || run.text === '') continue;
    const last = out[out.length - 1];
    if (last && last.op === run.op) last.text += run.text;
    else out.push({ op: run.op, text: run.text });
  }
  return out;
}

/** The older text (equal and deleted runs). */
export function oldText(runs) {
  return cleanRuns(runs).filter((r) => r.op !== 'insert').map((r) => r.text).join('');
}

/** The newer text (equal and inserted runs). */
export function newText(runs) {
  return cleanRuns(runs).filter((r) => r.op !== 'delete').map((r) => r.text).join('');
}

/** How many words were inserted and deleted. */
export function diffStats(runs) {
  const words = (text) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
  let inserted = 0;
  let deleted = 0;
  for (const r of cleanRuns(runs)) {
    if (r.op === 'insert') inserted += words(r.text);
    if (r.op === 'delete') deleted += words(r.text);
  }
  return { inserted, deleted };
}

/**
 * The runs as markup. `labels` gives the hidden texts: { insertStart, insertEnd,
 * deleteStart, deleteEnd } (e.g. "[eingefügt: " and "]").
 */
export function diffTemplate(runs, labels) {
  const l = labels ?? { insertStart: '[+ ', insertEnd: ' +]', deleteStart: '[- ', deleteEnd: ' -]' };
  return html`${cleanRuns(runs).map((r) => {
    if (r.op === 'insert') return html`<ins><span class="visually-hidden">${l.insertStart}</span>${r.text}<span class="visually-hidden">${l.insertEnd}</span></ins>`;
    if (r.op === 'delete') return html`<del><span class="visually-hidden">${l.deleteStart}</span>${r.text}<span class="visually-hidden">${l.deleteEnd}</span></del>`;
    return html`${r.text}`;
  })}`;
}

/** Items added to and removed from a list (policy fields, impact kinds), for their diff. */
export function listChange(before, after) {
  const a = Array.isArray(before) ? before : [];
  const b = Array.isArray(after) ? after : [];
  return { added: b.filter((x) => !a.includes(x)), removed: a.filter((x) => !b.includes(x)), kept: b.filter((x) => a.includes(x)) };
}
