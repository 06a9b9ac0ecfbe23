// Feedback panels (issue 7): pure helpers for the coordinators' screens. Building the
// settings body from the editor's fields, reading answers of the server's JSON shape,
// chart geometry for the results (bars as SVG, with a table alternative), and which
// lifecycle actions a panel offers.

export const KINDS = ['scale', 'singleChoice', 'multipleChoice', 'freeText'];
export const SECTIONS = ['situation', 'dataBasis', 'goals', 'measures', 'targetGroups', 'responsibleBody', 'resources', 'indicators', 'timeline'];
export const PANEL_EVENTS = new Set(['panel.created', 'panel.updated', 'panel.opened', 'panel.closed', 'panel.archived']);
export const ITEM_EVENTS = new Set(['panel.submissionReceived', 'panel.awaitingModeration', 'panel.submissionChanged',
  'panel.submissionWithdrawn', 'panel.submissionModerated', 'panel.responseSet']);

/** The lines of a textarea, trimmed, without empty ones. */
export function lines(text) {
  return String(text ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
}

/** A stable option key from a label: lower case ASCII letters, digits and hyphens, at most 32. */
export function optionKey(label, taken = new Set()) {
  const base = String(label ?? '').toLowerCase()
    .replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ß/g, 'ss')
    .normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 28) || 'option';
  let key = base;
  for (let n = 2; taken.has(key); n += 1) key = `${base}-${n}`;
  taken.add(key);
  return key;
}

/** One question of the editor ({promptDe, promptEn, kind, required, choices}) as the API takes it. */
export function questionBody(q) {
  const prompt = { de: String(q.promptDe ?? '').trim() };
  if (String(q.promptEn ?? '').trim()) prompt.en = String(q.promptEn).trim();
  const body = { prompt, kind: KINDS.includes(q.kind) ? q.kind : 'freeText', required: Boolean(q.required) };
  if (q.id) body.id = q.id;
  const choices = lines(q.choices);
  if (body.kind === 'scale') {
    const labels = choices.length === 5 ? choices : ['1', '2', '3', '4', '5'].map((n, i) => choices[i] ?? n);
    body.labels = labels.map((de) => ({ de }));
  } else if (body.kind === 'singleChoice' || body.kind === 'multipleChoice') {
    const taken = new Set();
    body.options = choices.map((de) => ({ key: optionKey(de, taken), label: { de } }));
    if (body.kind === 'multipleChoice') {
      body.min = 0;
      body.max = body.options.length;
    }
  } else {
    body.maxLength = 2000;
  }
  return body;
}

function text(de, en) {
  const out = { de: String(de ?? '').trim() };
  if (String(en ?? '').trim()) out.en = String(en).trim();
  return out;
}

/** The create/update body from the editor's fields. */
export function settingsBody(f, recommendationId = null) {
  const body = {
    title: text(f.titleDe, f.titleEn),
    audience: text(f.audienceDe, f.audienceEn),
    summary: text(f.summaryDe, f.summaryEn),
    easyReadSummary: String(f.easyRead ?? '').trim() ? { de: String(f.easyRead).trim() } : null,
    offersEnglish: Boolean(f.offersEnglish),
    opensOn: f.opensOn,
    closesOn: f.closesOn,
    questions: (f.questions ?? []).map(questionBody),
    sections: SECTIONS.filter((s) => (f.sections ?? []).includes(s)),
    access: f.access === 'inviteOnly' ? 'inviteOnly' : 'publicLink',
    moderation: f.moderation === 'post' ? 'post' : 'pre',
    retentionDays: Number(f.retentionDays) || 180,
    publicResponses: Boolean(f.publicResponses),
    consentVersion: String(f.consentVersion ?? '').trim() || '1',
    limits: { perHour: Number(f.perHour) || 10, perDay: Number(f.perDay) || 40 },
  };
  if (recommendationId) body.recommendationId = recommendationId;
  return body;
}

/** The editor's fields for an existing panel. */
export function fieldsOf(panel) {
  return {
    titleDe: panel.title?.de ?? '', titleEn: panel.title?.en ?? '',
    audienceDe: panel.audience?.de ?? '', audienceEn: panel.audience?.en ?? '',
    summaryDe: panel.summary?.de ?? '', summaryEn: panel.summary?.en ?? '',
    easyRead: panel.easyReadSummary?.de ?? '', offersEnglish: Boolean(panel.offersEnglish),
    opensOn: panel.opensOn, closesOn: panel.closesOn, sections: panel.sections ?? [],
    access: panel.access, moderation: panel.moderation, retentionDays: panel.retentionDays, publicResponses: panel.publicResponses,
    consentVersion: panel.consentVersion, perHour: panel.limits?.perHour, perDay: panel.limits?.perDay,
    questions: (panel.questions ?? []).map((q) => ({
      id: q.id, promptDe: q.prompt?.de ?? '', promptEn: q.prompt?.en ?? '', kind: q.kind, required: Boolean(q.required),
      choices: (q.kind === 'scale' ? (q.labels ?? []).map((l) => l.de) : (q.options ?? []).map((o) => o.label?.de ?? o.key)).join('\n'),
    })),
  };
}

/** `YYYY-MM-DD` of a day `days` after today (local calendar). */
export function isoDay(days = 0, from = new Date()) {
  const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** The lifecycle actions a panel in `status` offers. */
export function actions(status) {
  return { draft: ['open'], open: ['close'], closed: ['archive'], archived: [] }[status] ?? [];
}

/** A panel text in the language, German when there is no English one. */
export function tr(textObj, lang) {
  if (!textObj) return '';
  return (lang === 'en' && textObj.en) ? textObj.en : (textObj.de ?? '');
}

/** An answer value of the server's JSON ({scale: 4}, {choices: [...]}; the older {scale: {_0: 4}} too) as display text. */
export function answerText(value, question, lang) {
  if (!value || typeof value !== 'object') return '';
  const kind = Object.keys(value)[0];
  const raw = value[kind];
  const inner = raw && typeof raw === 'object' && !Array.isArray(raw) && '_0' in raw ? raw._0 : raw;
  const label = (key) => tr((question?.options ?? []).find((o) => o.key === key)?.label, lang) || String(key);
  switch (kind) {
    case 'scale': {
      const l = (question?.labels ?? [])[Number(inner) - 1];
      return l ? `${inner} – ${tr(l, lang)}` : String(inner);
    }
    case 'choice': return label(inner);
    case 'choices': return (Array.isArray(inner) ? inner : []).map(label).join(', ');
    case 'text': return String(inner ?? '');
    default: return '';
  }
}

/** Bars for one result: [{label, count, width, share}] with `width` in 0…max (SVG units). */
export function bars(buckets, lang, max = 200) {
  const list = Array.isArray(buckets) ? buckets : [];
  const total = list.reduce((sum, b) => sum + (Number(b.count) || 0), 0);
  const top = Math.max(1, ...list.map((b) => Number(b.count) || 0));
  return list.map((b) => ({
    value: b.value,
    label: tr(b.label, lang) || String(b.value),
    count: Number(b.count) || 0,
    width: Math.round(((Number(b.count) || 0) / top) * max),
    share: total ? Math.round(((Number(b.count) || 0) / total) * 100) : 0,
  }));
}

/** Calls `fn` once `wait` ms after the last call (live results refetch at most that often). */
export function debounce(fn, wait = 400, timers = { set: (f, ms) => setTimeout(f, ms), clear: (h) => clearTimeout(h) }) {
  let handle = null;
  const debounced = (...args) => {
    if (handle) timers.clear(handle);
    handle = timers.set(() => {
      handle = null;
      fn(...args);
    }, wait);
  };
  debounced.cancel = () => {
    if (handle) timers.clear(handle);
    handle = null;
  };
  return debounced;
}
