// Comments and suggestions on a recommendation's sections: the list as pure functions
// (upsert from snapshots and live `recommendation.commentChanged` events, open ones per
// section), who may do what, and a word diff of a suggestion against the current text.

export const SUGGESTION_SECTIONS = Object.freeze(['title', 'situation', 'dataBasis', 'goals', 'measures', 'targetGroups', 'responsibleBody', 'timeline']);
export const BODY_MAX = 4000;

/** Inserts or replaces a comment (by id), keeping the list oldest first. */
export function upsertComment(list, comment) {
  if (!comment || !comment.id) return list ?? [];
  const items = (list ?? []).filter((c) => c.id !== comment.id);
  items.push(comment);
  return items.sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)) || String(a.id).localeCompare(String(b.id)));
}

/** Applies a live event; returns the same list when it does not concern this recommendation. */
export function applyCommentEvent(list, event, recommendationId) {
  if (!event || event.name !== 'recommendation.commentChanged' || !event.data || event.data.recommendationId !== recommendationId) return list;
  return upsertComment(list, event.data);
}

/** The open comments and suggestions of one section (null: those without a section). */
export function openFor(list, section) {
  return (list ?? []).filter((c) => c.state === 'open' && (c.section ?? null) === section);
}

export function canResolve(comment, { selfId, lead }) {
  return comment.kind === 'comment' && comment.state === 'open' && (lead || comment.authorId === selfId);
}

export function canDecide(comment, { lead }) {
  return comment.kind === 'suggestion' && comment.state === 'open' && lead;
}

/** The comment form's values → { body, issues }. */
export function commentPayload({ section, body, suggestion }, baseRevision) {
  const text = String(body ?? '').trim();
  const issues = [];
  const isSuggestion = suggestion !== undefined && suggestion !== null;
  if (!isSuggestion && text.length === 0) issues.push({ field: 'body', code: 'required', message: 'A comment.' });
  if (text.length > BODY_MAX) issues.push({ field: 'body', code: 'tooLong', message: `At most ${BODY_MAX} characters.` });
  const payload = { body: text, baseRevision };
  if (section) payload.section = section;
  if (isSuggestion) payload.suggestion = String(suggestion);
  return { body: payload, issues };
}

function tokens(text) {
  return String(text ?? '').match(/\s+|[^\s]+/g) ?? [];
}

/**
 * A word diff of `before` → `after` as runs [{op, text}] for lib/diff.js (longest common
 * subsequence of words and spaces). Null when the texts are too long to compare here.
 */
export function wordDiff(before, after, { limit = 4_000_000 } = {}) {
  const a = tokens(before);
  const b = tokens(after);
  // Common head and tail first: suggestions usually change a little in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  if (x.length * y.length > limit) return null;
  const n = x.length;
  const m = y.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i][j] = x[i] === y[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
    }
  }
  const runs = [];
  const push = (op, text) => {
    const last = runs[runs.length - 1];
    if (last && last.op === op) last.text += text;
    else runs.push({ op, text });
  };
  if (head) push('equal', a.slice(0, head).join(''));
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      push('equal', x[i]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) push('delete', x[i++]);
    else push('insert', y[j++]);
  }
  while (i < n) push('delete', x[i++]);
  while (j < m) push('insert', y[j++]);
  if (tail) push('equal', a.slice(a.length - tail).join(''));
  return runs;
}
