// Comments and suggestions per section of a draft recommendation (in the editor). Each
// section shows its open comments and suggestions, a small form to comment and, for those
// who may write, "Änderung vorschlagen" with the current text to change. The coordinator
// accepts or rejects suggestions (shown as a word diff against the current text); the
// author or the coordinator resolves comments. Bodies are Markdown through lib/markdown.js
// only; suggested texts and diffs go through html``. Live: `recommendation.commentChanged`.

import { html, render } from '../lib/html.js';
import { renderMarkdown } from '../lib/markdown.js';
import { ApiError } from '../lib/api.js';
import { diffTemplate } from '../lib/diff.js';
import { t, getLang, formatDateTime, localizeFieldError } from '../lib/i18n.js';
import { announce, busyButton, errorText, renderKeepingFocus } from '../lib/ui.js';
import * as cm from '../state/comments.js';
import { diffLabels } from './recommendation-history.js';
import { sectionLabel } from './profile.js';

/**
 * `getRecommendation()` → the server's recommendation (revision, profile, status);
 * `currentText(s)` → the section's current server text; `canWrite()`, `isLead()`;
 * `onAccepted()` → the editor reloads the recommendation.
 */
export function createComments({ ctx, recommendationId, getRecommendation, currentText, canWrite, isLead, onAccepted }) {
  const base = `/api/v1/recommendations/${encodeURIComponent(recommendationId)}/comments`;
  const selfId = ctx.app.session?.user?.id ?? null;
  let items = null;
  let destroyed = false;
  const suggesting = new Set();
  const busy = new Set();
  const notices = {}; // section → { kind, text }

  const active = () => getRecommendation()?.status === 'draft';

  async function load() {
    try {
      const { data } = await ctx.call(ctx.api.get(base));
      if (destroyed) return;
      let merged = Array.isArray(data?.items) ? data.items : [];
      for (const held of items ?? []) merged = cm.upsertComment(merged, held);
      items = merged;
    } catch {
      items = items ?? [];
    }
    refreshAll();
  }

  function countText(n) {
    return n === 1 ? t('comments.count.one') : t('comments.count', { count: n });
  }

  function countTemplate(s) {
    if (!active() || items === null) return html``;
    const n = cm.openFor(items, s).length;
    return n ? html`<span class="badge badge-current" data-testid="comment-count-${s}">${countText(n)}</span>` : html``;
  }

  function itemTemplate(c, s) {
    const lead = isLead();
    const who = c.authorName || '?';
    const when = formatDateTime(c.createdAt, getLang());
    let suggestion = '';
    if (c.kind === 'suggestion') {
      const runs = cm.wordDiff(currentText(s), c.suggestedText ?? '');
      suggestion = html`<div class="suggestion" data-testid="suggestion-text">
        <p class="small muted">${t('comments.suggestion.diffIntro')}</p>
        ${runs ? html`<div class="diff">${diffTemplate(runs, diffLabels())}</div>`
          : html`<div class="diff-pair"><div><p class="small"><strong>${t('comments.suggestion.current')}</strong></p><p class="pre-line">${currentText(s)}</p></div>
                 <div><p class="small"><strong>${t('comments.suggestion.proposed')}</strong></p><p class="pre-line">${c.suggestedText ?? ''}</p></div></div>`}
        ${c.baseRevision < (getRecommendation()?.revision ?? 0) ? html`<p class="small muted">${t('comments.suggestion.older', { revision: c.baseRevision })}</p>` : ''}
      </div>`;
    }
    const label = c.kind === 'suggestion' ? t('comments.kind.suggestion') : t('comments.kind.comment');
    return html`<li class="comment comment-${c.kind}" data-testid="comment" data-id="${c.id}" data-kind="${c.kind}">
      <p class="small"><strong>${label}</strong> ${t('comments.by', { name: who, date: when })}</p>
      ${c.body ? html`<div class="md">${renderMarkdown(c.body)}</div>` : ''}
      ${suggestion}
      <div class="actions comment-actions">
        ${cm.canResolve(c, { selfId, lead }) ? html`<button type="button" class="button secondary" data-comment-action="resolve" data-id="${c.id}" data-section="${s}">${t('comments.resolve')}<span class="visually-hidden"> (${t('comments.by', { name: who, date: when })})</span></button>` : ''}
        ${cm.canDecide(c, { lead }) ? html`
          <button type="button" class="button primary" data-comment-action="accept" data-id="${c.id}" data-section="${s}">${t('comments.accept')}<span class="visually-hidden"> (${t('comments.by', { name: who, date: when })})</span></button>
          <button type="button" class="button secondary" data-comment-action="reject" data-id="${c.id}" data-section="${s}">${t('comments.reject')}<span class="visually-hidden"> (${t('comments.by', { name: who, date: when })})</span></button>` : ''}
      </div>
    </li>`;
  }

  function listTemplate(s) {
    if (items === null) return html`<p class="loading small">${t('app.loading')}</p>`;
    const open = cm.openFor(items, s);
    const note = notices[s];
    return html`
      ${note ? html`<div class="notice ${note.kind === 'error' ? 'notice-error' : 'notice-info'}" role="${note.kind === 'error' ? 'alert' : 'status'}"><p>${note.text}</p></div>` : ''}
      ${open.length ? html`<ul class="comment-list" aria-labelledby="sec-${s}-comments-title" data-testid="comments-${s}">${open.map((c) => itemTemplate(c, s))}</ul>`
        : html`<p class="muted small">${t('comments.none')}</p>`}`;
  }

  function suggestFormTemplate(s) {
    return html`<form id="csug-form-${s}" class="form comment-form" data-suggest-form="${s}" novalidate aria-labelledby="csug-${s}-title">
      <h4 id="csug-${s}-title">${t('comments.suggest.title', { section: sectionLabel(s) })}</h4>
      <div class="field">
        <label for="csug-${s}-text">${t('comments.suggest.text')}</label>
        <p class="field-error" id="csug-${s}-text-error" hidden></p>
        <textarea id="csug-${s}-text" name="suggestion" rows="${s === 'title' || s === 'responsibleBody' ? 2 : 6}">${currentText(s)}</textarea>
      </div>
      <div class="field">
        <label for="csug-${s}-body">${t('comments.suggest.reason')}</label>
        <p class="field-error" id="csug-${s}-body-error" hidden></p>
        <textarea id="csug-${s}-body" name="body" rows="2" maxlength="4000"></textarea>
      </div>
      <div class="actions">
        <button type="submit" class="button primary" id="csug-${s}-submit">${t('comments.suggest.submit')}</button>
        <button type="button" class="button quiet" data-comment-action="suggest-cancel" data-section="${s}">${t('comments.suggest.cancel')}</button>
      </div>
    </form>`;
  }

  function suggestBoxTemplate(s) {
    if (!canWrite() || !cm.SUGGESTION_SECTIONS.includes(s)) return html``;
    if (suggesting.has(s)) return suggestFormTemplate(s);
    return html`<p><button type="button" class="button secondary" data-comment-action="suggest-open" data-section="${s}" id="csug-${s}-open">${t('comments.suggest.open')}<span class="visually-hidden"> (${sectionLabel(s)})</span></button></p>`;
  }

  /** The block under a section (only for drafts). */
  function sectionTemplate(s) {
    if (!active()) return html``;
    return html`<div class="sec-comments" data-testid="comment-box-${s}">
      <h3 id="sec-${s}-comments-title" class="h4">${t('comments.title')}<span class="visually-hidden"> (${sectionLabel(s)})</span></h3>
      <div id="sec-${s}-clist">${listTemplate(s)}</div>
      <form id="cform-${s}" class="form comment-form" data-comment-form="${s}" novalidate aria-labelledby="cform-${s}-label">
        <div class="field">
          <label for="cform-${s}-body" id="cform-${s}-label">${t('comments.new', { section: sectionLabel(s) })}</label>
          <p class="hint" id="cform-${s}-hint">${t('comments.markdownHint')}</p>
          <p class="field-error" id="cform-${s}-body-error" hidden></p>
          <textarea id="cform-${s}-body" name="body" rows="2" maxlength="4000" aria-describedby="cform-${s}-hint"></textarea>
        </div>
        <div class="actions"><button type="submit" class="button secondary" id="cform-${s}-submit">${t('comments.submit')}<span class="visually-hidden"> (${sectionLabel(s)})</span></button></div>
      </form>
      <div id="sec-${s}-csuggest">${suggestBoxTemplate(s)}</div>
    </div>`;
  }

  function refreshSection(s) {
    if (destroyed) return;
    const list = document.getElementById(`sec-${s}-clist`);
    if (list) renderKeepingFocus(list, listTemplate(s));
    const count = document.getElementById(`sec-${s}-ccount`);
    if (count) renderKeepingFocus(count, countTemplate(s));
  }

  function refreshAll() {
    for (const s of sectionsShown()) refreshSection(s);
  }

  function sectionsShown() {
    return [...document.querySelectorAll('[id^="sec-"][id$="-clist"]')].map((el) => el.id.slice(4, -6));
  }

  function showError(form, errorId, inputId, issues) {
    const el = document.getElementById(errorId);
    const input = document.getElementById(inputId);
    if (el) {
      render(el, html`<span class="visually-hidden">${t('field.error', { message: '' })}</span>${issues.map((i) => localizeFieldError(i, getLang())).join(' ')}`);
      el.hidden = false;
    }
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== errorId);
      input.setAttribute('aria-describedby', [errorId, ...ids].join(' '));
      input.focus();
    }
  }

  function clearError(errorId, inputId) {
    const el = document.getElementById(errorId);
    if (el) {
      el.hidden = true;
      el.textContent = '';
    }
    const input = document.getElementById(inputId);
    if (input) {
      input.removeAttribute('aria-invalid');
      const ids = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((x) => x && x !== errorId);
      if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
      else input.removeAttribute('aria-describedby');
    }
  }

  async function submit(form, s, isSuggestion) {
    const key = `${isSuggestion ? 'sug' : 'com'}-${s}`;
    if (busy.has(key)) return;
    const prefix = isSuggestion ? `csug-${s}` : `cform-${s}`;
    const bodyInput = form.elements.namedItem('body');
    const suggestion = isSuggestion ? form.elements.namedItem('suggestion').value : undefined;
    const { body, issues } = cm.commentPayload({ section: s, body: bodyInput.value, suggestion }, getRecommendation()?.revision ?? 1);
    clearError(`${prefix}-body-error`, `${prefix}-body`);
    if (isSuggestion) clearError(`${prefix}-text-error`, `${prefix}-text`);
    if (issues.length) {
      showError(form, `${prefix}-body-error`, `${prefix}-body`, issues);
      return;
    }
    busy.add(key);
    const restore = busyButton(document.getElementById(`${prefix}-submit`), t('comments.sending'));
    try {
      const { data } = await ctx.call(ctx.api.post(base, body));
      items = cm.upsertComment(items ?? [], data);
      restore();
      if (isSuggestion) {
        suggesting.delete(s);
        renderKeepingFocus(document.getElementById(`sec-${s}-csuggest`), suggestBoxTemplate(s));
        document.getElementById(`csug-${s}-open`)?.focus();
      } else {
        bodyInput.value = '';
      }
      delete notices[s];
      refreshSection(s);
      announce(isSuggestion ? t('comments.suggest.done') : t('comments.done'));
    } catch (err) {
      restore();
      if (err instanceof ApiError && err.fields.length) {
        const textIssues = err.fields.filter((f) => String(f.field).startsWith('suggestion'));
        const bodyIssues = err.fields.filter((f) => !String(f.field).startsWith('suggestion'));
        if (textIssues.length && isSuggestion) showError(form, `${prefix}-text-error`, `${prefix}-text`, textIssues);
        if (bodyIssues.length) showError(form, `${prefix}-body-error`, `${prefix}-body`, bodyIssues);
      } else {
        showError(form, `${prefix}-body-error`, `${prefix}-body`, [{ message: errorText(err) }]);
      }
    } finally {
      busy.delete(key);
    }
  }

  async function act(button, action, cid, s) {
    if (busy.has(cid)) return;
    busy.add(cid);
    const restore = busyButton(button, t('comments.sending'));
    try {
      const { data } = await ctx.call(ctx.api.post(`${base}/${encodeURIComponent(cid)}/${action}`, {}));
      items = cm.upsertComment(items ?? [], data);
      notices[s] = { kind: 'info', text: t(`comments.${action}.done`) };
      refreshSection(s);
      announce(t(`comments.${action}.done`));
      document.getElementById(`cform-${s}-body`)?.focus();
      if (action === 'accept') onAccepted();
    } catch (err) {
      restore();
      const outdated = err instanceof ApiError && err.code === 'suggestion.outdated';
      notices[s] = { kind: 'error', text: outdated ? t('comments.outdated') : errorText(err) };
      refreshSection(s);
      if (outdated) onAccepted();
    } finally {
      busy.delete(cid);
    }
  }

  return {
    start: load,
    sectionTemplate,
    countTemplate,
    refreshSection,
    refreshAll,
    onTopicEvent(event) {
      const next = cm.applyCommentEvent(items ?? [], event, recommendationId);
      if (next === (items ?? [])) return false;
      const before = (items ?? []).find((c) => c.id === event.data.id);
      items = next;
      const s = event.data.section ?? null;
      if (s) refreshSection(s);
      if (!before && event.data.authorId !== selfId) {
        announce(t(event.data.kind === 'suggestion' ? 'comments.live.suggestion' : 'comments.live.comment', { name: event.data.authorName || '?', section: s ? sectionLabel(s) : '' }));
      }
      return true;
    },
    onSubmit(form) {
      const s = form.getAttribute('data-comment-form') ?? form.getAttribute('data-suggest-form');
      if (!s) return false;
      submit(form, s, form.hasAttribute('data-suggest-form'));
      return true;
    },
    onClick(el) {
      const action = el.getAttribute('data-comment-action');
      if (!action) return false;
      const s = el.getAttribute('data-section');
      if (action === 'suggest-open' || action === 'suggest-cancel') {
        if (action === 'suggest-open') suggesting.add(s);
        else suggesting.delete(s);
        const box = document.getElementById(`sec-${s}-csuggest`);
        if (box) render(box, suggestBoxTemplate(s));
        document.getElementById(action === 'suggest-open' ? `csug-${s}-text` : `csug-${s}-open`)?.focus();
        return true;
      }
      act(el, action, el.getAttribute('data-id'), s);
      return true;
    },
    destroy() {
      destroyed = true;
    },
  };
}
