// A recommendation's history: every revision with its author, the organization they spoke
// for and the sections changed (#/recommendations/<id>/history), and one revision with
// its word-level differences to the one before (#/recommendations/<id>/history/<n>),
// which editors may restore as a new revision.

import { html, render } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, getLang, formatDateTime } from '../lib/i18n.js';
import { diffTemplate, listChange, diffStats } from '../lib/diff.js';
import { $, announce, setTitle, errorNotice, focusHeading, busyButton } from '../lib/ui.js';
import * as rec from '../state/recommendations.js';
import { valueTemplate, sectionLabel, impactLabel, profileTemplate } from './profile.js';

const TEXT_DIFF_SECTIONS = new Set([...rec.MARKDOWN_SECTIONS, ...rec.LINE_SECTIONS]);

export function diffLabels() {
  return {
    insertStart: t('rec.diff.insertStart'), insertEnd: t('rec.diff.insertEnd'),
    deleteStart: t('rec.diff.deleteStart'), deleteEnd: t('rec.diff.deleteEnd'),
  };
}

export function mountRecommendationHistory(target, route, keep, ctx) {
  const id = route.id;
  const number = route.revision ?? null;
  const path = `/api/v1/recommendations/${encodeURIComponent(id)}`;
  let destroyed = false;
  let detail = null;
  let items = null;
  let revision = null;
  let older = null;
  let loadError = null;
  let busy = false;
  const policyFieldName = (pid) => ctx.policyFieldName(pid);

  render(target, html`<p class="loading">${t('app.loading')}</p><h1 id="page-title" tabindex="-1" class="visually-hidden">${t('app.loading')}</h1>`);
  setTitle(t('rec.history.title'));

  const canRestore = () => {
    const r = detail?.recommendation;
    if (!r || r.status !== 'draft') return false;
    const role = ctx.roleIn(r.workspaceId);
    const ws = ctx.app.directory.workspaces[r.workspaceId];
    if (ws && ws.archived) return false;
    return ctx.isAdmin() || role === 'coordinator' || role === 'member';
  };

  async function load() {
    try {
      const requests = [ctx.call(ctx.api.get(path))];
      if (number === null) requests.push(ctx.call(ctx.api.get(`${path}/revisions`)));
      else requests.push(ctx.call(ctx.api.get(`${path}/revisions/${number}`)));
      const [d, second] = await Promise.all(requests);
      if (destroyed) return;
      detail = d.data;
      if (number === null) items = Array.isArray(second.data?.items) ? second.data.items : [];
      else {
        revision = second.data;
        if (revision.comparedWith) {
          const o = await ctx.call(ctx.api.get(`${path}/revisions/${revision.comparedWith}`));
          older = o.data;
        }
      }
      loadError = null;
    } catch (err) {
      loadError = err;
    }
    draw();
  }

  function authorText(r) {
    return r.organization ? t('rec.history.byOrg', { name: r.authorName || '?', organization: r.organization }) : t('rec.history.by', { name: r.authorName || '?' });
  }

  function listTemplate() {
    const r = detail.recommendation;
    return html`
      <p class="back"><a href="#/recommendations/${encodeURIComponent(id)}"><span aria-hidden="true">← </span>${t('rec.history.back')}</a></p>
      <h1 id="page-title" tabindex="-1">${t('rec.history.titleOf', { title: r.profile.title })}</h1>
      <p class="lead">${t('rec.history.intro')}</p>
      <ol class="revision-list" reversed data-testid="revision-list">${items.map((item) => html`<li class="revision-row" data-number="${item.number}">
        <h2 class="revision-title"><a href="#/recommendations/${encodeURIComponent(id)}/history/${item.number}">${t('rec.revisionN', { n: item.number })}</a>
          ${item.number === r.revision ? html` <span class="badge badge-current">${t('rec.history.current')}</span>` : ''}</h2>
        <p class="small">${authorText(item)} · <time datetime="${item.at}">${formatDateTime(item.at, getLang())}</time></p>
        <p class="small">${item.restoredFrom ? html`${t('rec.history.restoredFrom', { n: item.restoredFrom })} · ` : ''}${t('rec.history.changed')}: ${(item.changedSections ?? []).map(sectionLabel).join(', ') || '–'}</p>
      </li>`)}</ol>`;
  }

  function structuredDiff(section, before, after) {
    if (section === 'policyFields' || section === 'impactKinds') {
      const change = listChange(rec.normalizeValue(section, before), rec.normalizeValue(section, after));
      const name = (x) => (section === 'policyFields' ? policyFieldName(x) ?? t('rec.policyField.unknown') : impactLabel(x));
      const labels = diffLabels();
      return html`<ul class="tag-list diff-list">
        ${change.kept.map((x) => html`<li>${name(x)}</li>`)}
        ${change.added.map((x) => html`<li><ins><span class="visually-hidden">${labels.insertStart}</span>${name(x)}<span class="visually-hidden">${labels.insertEnd}</span></ins></li>`)}
        ${change.removed.map((x) => html`<li><del><span class="visually-hidden">${labels.deleteStart}</span>${name(x)}<span class="visually-hidden">${labels.deleteEnd}</span></del></li>`)}
      </ul>`;
    }
    return html`<div class="compare diff-compare">
      <div class="diff-before"><h3 class="h4">${t('rec.diff.before')}</h3>${before === undefined ? html`<p class="muted">${t('rec.empty')}</p>` : valueTemplate(section, before, { policyFieldName })}</div>
      <div class="diff-after"><h3 class="h4">${t('rec.diff.after')}</h3>${valueTemplate(section, after, { policyFieldName })}</div>
    </div>`;
  }

  function revisionTemplate() {
    const r = detail.recommendation;
    const rv = revision.revision;
    const sections = rec.SECTIONS.filter((s) => revision.diff && revision.diff[s]);
    const olderProfile = older ? older.profile : null;
    return html`
      <p class="back"><a href="#/recommendations/${encodeURIComponent(id)}/history"><span aria-hidden="true">← </span>${t('rec.history.backToList')}</a></p>
      <h1 id="page-title" tabindex="-1">${t('rec.history.revisionTitle', { n: rv.number, title: revision.profile.title })}</h1>
      <p class="ws-meta">${authorText(rv)} · <time datetime="${rv.at}">${formatDateTime(rv.at, getLang())}</time>
        ${rv.number === r.revision ? html` <span class="badge badge-current">${t('rec.history.current')}</span>` : ''}</p>
      <p>${revision.comparedWith ? t('rec.history.comparedWith', { n: revision.comparedWith }) : t('rec.history.first')}
        ${rv.restoredFrom ? html` ${t('rec.history.restoredFrom', { n: rv.restoredFrom })}` : ''}</p>
      <p class="small muted">${t('rec.diff.legend')} <ins>${t('rec.diff.legendInserted')}</ins> <del>${t('rec.diff.legendDeleted')}</del></p>
      <div id="restore-status"></div>
      ${canRestore() && rv.number !== r.revision ? html`<div class="actions"><button type="button" class="button primary" id="restore-revision" data-testid="restore-revision">${t('rec.history.restore', { n: rv.number })}</button></div>
        <p class="hint">${t('rec.history.restoreHint', { current: r.revision })}</p>` : ''}
      ${sections.length === 0 ? html`<p class="muted">${t('rec.history.noChanges')}</p>` : ''}
      ${sections.map((s) => {
        const runs = revision.diff[s];
        const stats = diffStats(runs);
        return html`<section class="card diff-section" aria-labelledby="diff-${s}" data-testid="diff-${s}">
          <h2 id="diff-${s}">${sectionLabel(s)}</h2>
          ${TEXT_DIFF_SECTIONS.has(s)
            ? html`<p class="small muted">${t('rec.diff.stats', { inserted: stats.inserted, deleted: stats.deleted })}</p><div class="diff">${diffTemplate(runs, diffLabels())}</div>`
            : structuredDiff(s, olderProfile ? rec.sectionValue(olderProfile, s) : undefined, rec.sectionValue(revision.profile, s))}
        </section>`;
      })}
      <details class="card full-text">
        <summary>${t('rec.history.fullText', { n: rv.number })}</summary>
        <h2 class="h3">${revision.profile.title}</h2>
        ${profileTemplate(revision.profile, { level: 3, idPrefix: `rev-${rv.number}`, policyFieldName })}
      </details>`;
  }

  function draw() {
    if (destroyed) return;
    const hadFocus = document.activeElement && document.activeElement.id === 'page-title';
    if (loadError) {
      const notFound = loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 403);
      setTitle(t('rec.loadError'));
      render(target, html`
        <h1 id="page-title" tabindex="-1">${notFound ? t('rec.history.notFound') : t('rec.loadError')}</h1>
        ${notFound ? '' : errorNotice(loadError)}
        <p><a href="#/recommendations/${encodeURIComponent(id)}">${t('rec.history.back')}</a></p>`);
    } else if (number === null) {
      setTitle(`${t('rec.history.title')} – ${detail.recommendation.profile.title}`);
      render(target, listTemplate());
    } else {
      setTitle(t('rec.history.revisionTitle', { n: number, title: detail.recommendation.profile.title }));
      render(target, revisionTemplate());
    }
    if (hadFocus) focusHeading();
  }

  async function restore(button) {
    if (busy || !detail) return;
    busy = true;
    const undo = busyButton(button, t('rec.history.restoring'));
    try {
      const { data } = await ctx.call(ctx.api.post(`${path}/revisions/${number}/restore`, undefined, { headers: { 'If-Match': ifMatch(detail.recommendation.revision) } }));
      ctx.app.flash = { kind: 'info', text: t('rec.history.restored', { n: number, current: data.revision }) };
      announce(t('rec.history.restored', { n: number, current: data.revision }));
      ctx.navigate(`#/recommendations/${encodeURIComponent(id)}`);
    } catch (err) {
      busy = false;
      undo();
      const status = $('#restore-status');
      if (err instanceof ApiError && err.status === 409) {
        if (err.body && err.body.current) detail = { ...detail, recommendation: err.body.current };
        render(status, html`<div class="notice notice-error" role="alert"><p>${t('rec.history.restoreConflict')}</p></div>`);
        const current = $('#restore-revision');
        if (current) current.focus();
      } else {
        render(status, errorNotice(err));
      }
    }
  }

  load();

  return {
    name: 'recommendationHistory',
    onClick(el) {
      if (el.id === 'restore-revision') {
        restore(el);
        return true;
      }
      return false;
    },
    destroy() {
      destroyed = true;
    },
  };
}
