// Feedback panels for the workspace (issue 7).
// #/recommendations/<id>/panels: the panels about a draft; coordinators set a new one up
//   (texts, questions editor, sections asked about, dates, moderation, access, limits).
// #/panels/<id>: one panel: its public link and QR code (SVG and PNG from the server),
//   open/close/archive, the moderation queue (approve, hide with a reason), the items with
//   "you said → we did" responses, and the results as SVG bars with a table alternative.
//   Moderators see new items live (`panel.awaitingModeration` on the workspace topic); the
//   results refetch on `panel.resultsChanged` (debounced).
// Everything people typed goes through the escaping html`` template.

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, getLang, formatDate, formatDateTime, localizeFieldError } from '../lib/i18n.js';
import { announce, setTitle, errorNotice, busyButton, confirmAction } from '../lib/ui.js';
import * as pn from '../state/panels.js';

function sectionLabel(section) {
  return t(`rec.section.${section}`);
}

function fieldErrors(err) {
  const fields = err instanceof ApiError && Array.isArray(err.fields) ? err.fields : [];
  if (!fields.length) return errorNotice(err);
  return html`<div class="error-summary" role="alert" tabindex="-1" id="panel-errors" data-testid="panel-errors">
    <h2>${t('panel.errors')}</h2>
    <ul>${fields.map((f) => html`<li><strong>${f.field}</strong>: ${localizeFieldError(f, getLang())}</li>`)}</ul></div>`;
}

// ---------------------------------------------------------------- settings editor

function defaultFields() {
  return {
    titleDe: '', titleEn: '', audienceDe: '', audienceEn: '', summaryDe: '', summaryEn: '', easyRead: '', offersEnglish: false,
    opensOn: pn.isoDay(0), closesOn: pn.isoDay(28), sections: ['goals'], access: 'publicLink', moderation: 'pre', retentionDays: 180,
    publicResponses: true, consentVersion: '1', perHour: 10, perDay: 40,
    questions: [{ promptDe: '', promptEn: '', kind: 'scale', required: false, choices: 'gar nicht\nwenig\nteils\nziemlich\nsehr' }],
  };
}

/** The panel settings form (create and edit): texts, questions editor, sections, dates, moderation, access, limits. */
function settingsEditor(initial, options) {
  let fields = initial;
  let formError = null;

  function read(form) {
    const data = new FormData(form);
    const questions = fields.questions.map((q, i) => ({
      id: q.id, promptDe: data.get(`q${i}-de`) ?? '', promptEn: data.get(`q${i}-en`) ?? '', kind: data.get(`q${i}-kind`) ?? 'freeText',
      required: data.get(`q${i}-required`) === 'on', choices: data.get(`q${i}-choices`) ?? '',
    }));
    fields = {
      titleDe: data.get('titleDe') ?? '', titleEn: data.get('titleEn') ?? '', audienceDe: data.get('audienceDe') ?? '',
      audienceEn: data.get('audienceEn') ?? '', summaryDe: data.get('summaryDe') ?? '', summaryEn: data.get('summaryEn') ?? '',
      easyRead: data.get('easyRead') ?? '', offersEnglish: data.get('offersEnglish') === 'on', opensOn: data.get('opensOn'),
      closesOn: data.get('closesOn'), sections: data.getAll('sections'), access: data.get('access'), moderation: data.get('moderation'),
      retentionDays: data.get('retentionDays'), publicResponses: data.get('publicResponses') === 'on', consentVersion: data.get('consentVersion'),
      perHour: data.get('perHour'), perDay: data.get('perDay'), questions,
    };
  }

  function questionTemplate(q, i) {
    return html`<fieldset class="panel-question" data-testid="question-editor">
      <legend>${t('panel.q.legend', { n: i + 1 })}</legend>
      <p class="field"><label for="q${i}-de">${t('panel.q.promptDe')}</label><input id="q${i}-de" name="q${i}-de" type="text" value="${q.promptDe}" maxlength="500"></p>
      <p class="field"><label for="q${i}-en">${t('panel.q.promptEn')}</label><input id="q${i}-en" name="q${i}-en" type="text" value="${q.promptEn}" maxlength="500"></p>
      <p class="field"><label for="q${i}-kind">${t('panel.q.kind')}</label>
        <select id="q${i}-kind" name="q${i}-kind">${pn.KINDS.map((k) => html`<option value="${k}" ${attrs({ selected: Boolean(k === q.kind) })}>${t(`panel.kind.${k}`)}</option>`)}</select></p>
      <p class="field"><label for="q${i}-choices">${t('panel.q.choices')}</label>
        <textarea id="q${i}-choices" name="q${i}-choices" rows="4" aria-describedby="q${i}-choices-hint">${q.choices}</textarea>
        <span class="hint" id="q${i}-choices-hint">${t('panel.q.choicesHint')}</span></p>
      <p class="check"><input type="checkbox" id="q${i}-required" name="q${i}-required" ${attrs({ checked: Boolean(q.required) })}><label for="q${i}-required">${t('panel.q.required')}</label></p>
      <button type="button" class="button secondary" data-remove="${i}">${t('panel.q.remove', { n: i + 1 })}</button>
    </fieldset>`;
  }

  function template() {
    const f = fields;
    const textField = (name, label, value, { area = false, hint = null } = {}) => html`<p class="field"><label for="pf-${name}">${label}</label>
      ${area ? html`<textarea id="pf-${name}" name="${name}" rows="4">${value}</textarea>` : html`<input id="pf-${name}" name="${name}" type="text" value="${value}">`}
      ${hint ? html`<span class="hint">${hint}</span>` : ''}</p>`;
    return html`<section class="card" aria-labelledby="panel-new-title">
      <h2 id="panel-new-title">${options.heading}</h2>
      ${formError ? fieldErrors(formError) : ''}
      <form id="panel-form" novalidate data-testid="panel-form">
        ${textField('titleDe', t('panel.f.titleDe'), f.titleDe)}
        ${textField('titleEn', t('panel.f.titleEn'), f.titleEn)}
        ${textField('audienceDe', t('panel.f.audienceDe'), f.audienceDe)}
        ${textField('audienceEn', t('panel.f.audienceEn'), f.audienceEn)}
        ${textField('summaryDe', t('panel.f.summaryDe'), f.summaryDe, { area: true, hint: t('panel.f.summaryHint') })}
        ${textField('summaryEn', t('panel.f.summaryEn'), f.summaryEn, { area: true })}
        ${textField('easyRead', t('panel.f.easyRead'), f.easyRead, { area: true, hint: t('panel.f.easyReadHint') })}
        <p class="check"><input type="checkbox" id="pf-offersEnglish" name="offersEnglish" ${attrs({ checked: Boolean(f.offersEnglish) })}><label for="pf-offersEnglish">${t('panel.f.offersEnglish')}</label></p>
        <p class="field"><label for="pf-opensOn">${t('panel.f.opensOn')}</label><input id="pf-opensOn" name="opensOn" type="date" value="${f.opensOn}"></p>
        <p class="field"><label for="pf-closesOn">${t('panel.f.closesOn')}</label><input id="pf-closesOn" name="closesOn" type="date" value="${f.closesOn}"></p>
        <fieldset><legend>${t('panel.f.sections')}</legend>
          ${pn.SECTIONS.map((s) => html`<p class="check"><input type="checkbox" id="pf-s-${s}" name="sections" value="${s}" ${attrs({ checked: Boolean(f.sections.includes(s)) })}><label for="pf-s-${s}">${sectionLabel(s)}</label></p>`)}
        </fieldset>
        <h3>${t('panel.f.questions')}</h3>
        ${f.questions.map(questionTemplate)}
        <p><button type="button" class="button secondary" id="panel-add-question">${t('panel.q.add')}</button></p>
        <fieldset><legend>${t('panel.f.moderation')}</legend>
          <p class="check"><input type="radio" id="pf-mod-pre" name="moderation" value="pre" ${attrs({ checked: Boolean(f.moderation !== 'post') })}><label for="pf-mod-pre">${t('panel.mod.pre')}</label></p>
          <p class="check"><input type="radio" id="pf-mod-post" name="moderation" value="post" ${attrs({ checked: Boolean(f.moderation === 'post') })}><label for="pf-mod-post">${t('panel.mod.post')}</label></p>
        </fieldset>
        <fieldset><legend>${t('panel.f.access')}</legend>
          <p class="check"><input type="radio" id="pf-acc-public" name="access" value="publicLink" ${attrs({ checked: Boolean(f.access !== 'inviteOnly') })}><label for="pf-acc-public">${t('panel.access.publicLink')}</label></p>
          <p class="check"><input type="radio" id="pf-acc-invite" name="access" value="inviteOnly" ${attrs({ checked: Boolean(f.access === 'inviteOnly') })}><label for="pf-acc-invite">${t('panel.access.inviteOnly')}</label></p>
        </fieldset>
        <p class="field"><label for="pf-perHour">${t('panel.f.perHour')}</label><input id="pf-perHour" name="perHour" type="number" min="1" max="500" value="${String(f.perHour)}"></p>
        <p class="field"><label for="pf-perDay">${t('panel.f.perDay')}</label><input id="pf-perDay" name="perDay" type="number" min="1" max="5000" value="${String(f.perDay)}"></p>
        <p class="field"><label for="pf-retentionDays">${t('panel.f.retentionDays')}</label><input id="pf-retentionDays" name="retentionDays" type="number" min="30" max="730" value="${String(f.retentionDays)}"></p>
        <p class="field"><label for="pf-consentVersion">${t('panel.f.consentVersion')}</label><input id="pf-consentVersion" name="consentVersion" type="text" value="${f.consentVersion}"></p>
        <p class="check"><input type="checkbox" id="pf-publicResponses" name="publicResponses" ${attrs({ checked: Boolean(f.publicResponses) })}><label for="pf-publicResponses">${t('panel.f.publicResponses')}</label></p>
        <p><button type="submit" class="button primary" id="panel-create">${options.submit}</button></p>
      </form></section>`;
  }

  function bind(target, rerender) {
    const form = target.querySelector('#panel-form');
    if (!form) return;
    const update = rerender;
    target.querySelector('#panel-add-question').addEventListener('click', () => {
      read(form);
      fields.questions.push({ promptDe: '', promptEn: '', kind: 'freeText', required: false, choices: '' });
      update();
      target.querySelector(`#q${fields.questions.length - 1}-de`)?.focus();
    });
    for (const button of target.querySelectorAll('[data-remove]')) {
      button.addEventListener('click', () => {
        read(form);
        fields.questions.splice(Number(button.dataset.remove), 1);
        update();
        target.querySelector('#panel-add-question')?.focus();
      });
    }
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      read(form);
      const restore = busyButton(target.querySelector('#panel-create'), options.busy);
      try {
        formError = null;
        await options.save(pn.settingsBody(fields));
      } catch (err) {
        restore();
        formError = err;
        update();
        target.querySelector('#panel-errors')?.focus();
      }
    });
  }

  return { template, bind, get fields() { return fields; } };
}

// ---------------------------------------------------------------- list and set-up

export function mountPanelList(target, route, keep, ctx) {
  const recId = route.id;
  let recommendation = null;
  let panels = null;
  let error = null;
  let destroyed = false;

  const canManage = () => recommendation && ctx.canEdit(recommendation.workspaceId);
  const editor = settingsEditor(defaultFields(), {
    heading: t('panel.new.title'), submit: t('panel.new.submit'), busy: t('panel.new.busy'),
    async save(body) {
      const { data } = await ctx.call(ctx.api.post(`/api/v1/workspaces/${encodeURIComponent(recommendation.workspaceId)}/panels`,
        { ...body, recommendationId: recId }));
      ctx.navigate(`#/panels/${encodeURIComponent(data.id)}`);
    },
  });

  async function load() {
    try {
      const [r, list] = await Promise.all([
        ctx.call(ctx.api.get(`/api/v1/recommendations/${encodeURIComponent(recId)}`)),
        ctx.call(ctx.api.get(`/api/v1/recommendations/${encodeURIComponent(recId)}/panels`)),
      ]);
      recommendation = r.data.recommendation;
      panels = list.data.items;
    } catch (err) {
      error = err;
    }
    if (!destroyed) update();
  }

  function update() {
    if (error) {
      render(target, html`<h1 id="page-title" tabindex="-1">${t('panel.list.title')}</h1>${errorNotice(error)}`);
      return;
    }
    if (!recommendation) {
      render(target, html`<h1 id="page-title" tabindex="-1">${t('panel.list.title')}</h1><p>${t('app.loading')}</p>`);
      return;
    }
    setTitle(t('panel.list.title'));
    const lang = getLang();
    render(target, html`
      <p><a href="#/recommendations/${encodeURIComponent(recId)}">${t('panel.backToDraft')}</a></p>
      <h1 id="page-title" tabindex="-1">${t('panel.list.title')}</h1>
      <p class="lead">${recommendation.profile?.title ?? ''}</p>
      <section class="card" aria-labelledby="panel-list-title"><h2 id="panel-list-title">${t('panel.list.existing')}</h2>
        ${panels.length ? html`<ul class="panel-list" data-testid="panel-list">${panels.map((p) => html`<li><a href="#/panels/${encodeURIComponent(p.id)}">${pn.tr(p.title, lang)}</a>
          <span class="badge">${t(`panel.phase.${p.phase}`)}</span></li>`)}</ul>` : html`<p>${t('panel.list.none')}</p>`}
      </section>
      ${canManage() && recommendation.status === 'draft' ? editor.template() : ''}`);
    editor.bind(target, update);
  }

  update();
  load();
  return { name: 'panelList', destroy() { destroyed = true; } };
}

// ---------------------------------------------------------------- one panel

export function mountPanel(target, route, keep, ctx) {
  const { app } = ctx;
  const id = route.id;
  const base = `/api/v1/panels/${encodeURIComponent(id)}`;
  let panel = null;
  let items = [];
  let queue = [];
  let results = null;
  let error = null;
  let actionError = null;
  let destroyed = false;
  let topic = null;
  let subscribed = false;
  const drafts = {}; // item id → {reason, response, revision}
  let editor = null; // the settings form, while the moderator has it open
  let invites = [];
  let newCode = null; // the code of the invite just created, shown this once

  const moderator = () => panel && ctx.canEdit(panel.workspaceId);

  async function loadPanel() {
    const { data } = await ctx.call(ctx.api.get(base));
    panel = data;
  }
  async function loadItems() {
    const [list, pending] = await Promise.all([
      ctx.call(ctx.api.get(`${base}/items`)),
      moderator() ? ctx.call(ctx.api.get(`${base}/queue`)) : Promise.resolve({ data: { items: [] } }),
    ]);
    items = list.data.items.filter((i) => i.status !== 'pending' && i.status !== 'withdrawn');
    queue = pending.data.items;
    invites = moderator() && panel.access === 'inviteOnly' ? (await ctx.call(ctx.api.get(`${base}/invites`))).data.items : [];
  }
  async function loadResults() {
    results = (await ctx.call(ctx.api.get(`${base}/results`))).data;
  }
  const refreshResults = pn.debounce(() => loadResults().then(() => !destroyed && renderResults()).catch(() => {}), 400);
  const refreshItems = pn.debounce(() => loadItems().then(() => !destroyed && update()).catch(() => {}), 250);

  async function start() {
    try {
      await loadPanel();
      await Promise.all([loadItems(), loadResults()]);
    } catch (err) {
      error = err;
    }
    if (destroyed) return;
    update();
    if (panel && app.live) {
      topic = `workspace:${panel.workspaceId}`;
      app.live.subscribe(topic, { cursor: null, reload: async () => { await loadPanel(); await loadItems(); await loadResults(); update(); return null; } });
      subscribed = true;
    }
  }

  function questionOf(qid) {
    return (panel?.questions ?? []).find((q) => q.id === qid);
  }

  function contentTemplate(item) {
    const lang = getLang();
    const c = item.content;
    if (!c) return html`<p>${t('panel.item.noContent')}</p>`;
    return html`<dl class="panel-answers">
      ${(c.answers ?? []).map((a) => html`<dt>${pn.tr(questionOf(a.questionID)?.prompt, lang)}</dt><dd>${pn.answerText(a.value, questionOf(a.questionID), lang)}</dd>`)}
      ${(c.sections ?? []).map((s) => html`<dt>${sectionLabel(s.section)}</dt><dd>${s.rating ? `${s.rating}/5` : ''}${s.rating && s.comment ? ' · ' : ''}${s.comment ?? ''}</dd>`)}
    </dl>`;
  }

  function itemTemplate(item, pending) {
    const d = drafts[item.id] ?? {};
    const who = item.pseudonym ? item.pseudonym : t('panel.item.anonymous');
    return html`<li class="panel-item" data-id="${item.id}" data-testid="${pending ? 'queue-item' : 'panel-item'}">
      <article aria-labelledby="item-${item.id}-h">
        <h3 id="item-${item.id}-h">${who} · ${formatDateTime(item.receivedAt, getLang())}</h3>
        <p class="badge">${t(`panel.status.${item.status}`)}</p>
        ${contentTemplate(item)}
        ${item.moderation?.reason ? html`<p><strong>${t('panel.item.reason')}:</strong> ${item.moderation.reason}</p>` : ''}
        ${moderator() && (pending || item.status === 'hidden' || item.status === 'visible') ? html`<div class="panel-moderate">
          ${item.status !== 'visible' ? html`<button type="button" class="button primary" data-approve="${item.id}" data-version="${String(item.version)}">${t('panel.item.approve')}</button>` : ''}
          ${item.status !== 'hidden' ? html`<p class="field"><label for="reason-${item.id}">${t('panel.item.reasonLabel')}</label>
            <input type="text" id="reason-${item.id}" value="${d.reason ?? ''}" maxlength="500"></p>
            <button type="button" class="button secondary" data-hide="${item.id}" data-version="${String(item.version)}">${t('panel.item.hide')}</button>` : ''}
        </div>` : ''}
        ${!pending ? html`<div class="panel-response">
          <h4>${t('panel.item.response')}</h4>
          ${item.response ? html`<p data-testid="response-text">${item.response.text}</p>${item.response.changedRevision ? html`<p class="small">${t('panel.item.revision', { n: item.response.changedRevision })}</p>` : ''}` : html`<p>${t('panel.item.noResponse')}</p>`}
          ${moderator() ? html`<p class="field"><label for="resp-${item.id}">${item.response ? t('panel.item.reviseResponse') : t('panel.item.writeResponse')}</label>
            <textarea id="resp-${item.id}" rows="3" maxlength="4000">${d.response ?? item.response?.text ?? ''}</textarea></p>
            <p class="field"><label for="rev-${item.id}">${t('panel.item.changedRevision')}</label>
            <input type="number" min="1" id="rev-${item.id}" value="${String(d.revision ?? item.response?.changedRevision ?? '')}"></p>
            <button type="button" class="button primary" data-respond="${item.id}" data-version="${item.response ? String(item.response.version) : ''}">${t('panel.item.saveResponse')}</button>` : ''}
        </div>` : ''}
      </article></li>`;
  }

  function chartTemplate(key, label, buckets, answered) {
    const lang = getLang();
    const rows = pn.bars(buckets, lang, 160);
    const height = rows.length * 28 + 8;
    return html`<figure class="panel-chart" data-testid="result-chart">
      <figcaption id="chart-${key}">${label} (${t('panel.results.answered', { n: answered })})</figcaption>
      <svg viewBox="0 0 360 ${String(height)}" width="100%" role="img" aria-labelledby="chart-${key}" focusable="false">
        ${rows.map((r, i) => html`<g>
          <text x="0" y="${String(i * 28 + 20)}" font-size="12" fill="#1b1f24">${r.label.length > 22 ? `${r.label.slice(0, 21)}…` : r.label}</text>
          <rect x="150" y="${String(i * 28 + 6)}" width="${String(Math.max(r.width, r.count ? 2 : 0))}" height="18" fill="#0b4f8a"></rect>
          <text x="${String(156 + r.width)}" y="${String(i * 28 + 20)}" font-size="12" fill="#1b1f24">${String(r.count)}</text></g>`)}
      </svg>
      <div class="table-scroll" role="region" tabindex="0" aria-labelledby="table-${key}">
        <table class="data-table" data-testid="result-table"><caption id="table-${key}">${t('panel.results.table', { name: label })}</caption>
          <thead><tr><th scope="col">${t('panel.results.answer')}</th><th scope="col">${t('panel.results.count')}</th><th scope="col">${t('panel.results.share')}</th></tr></thead>
          <tbody>${rows.map((r) => html`<tr><th scope="row">${r.label}</th><td>${String(r.count)}</td><td>${r.share} %</td></tr>`)}</tbody>
        </table></div></figure>`;
  }

  function resultsTemplate() {
    if (!results) return html`<p>${t('app.loading')}</p>`;
    const lang = getLang();
    return html`<p data-testid="results-counts">${t('panel.results.counts', { visible: results.visibleCount, pending: results.pendingCount, hidden: results.hiddenCount })}</p>
      ${(results.questions ?? []).filter((q) => q.kind !== 'freeText').map((q, i) => chartTemplate(`q${i}`, pn.tr(q.prompt, lang), q.buckets, q.answered))}
      ${(results.questions ?? []).filter((q) => q.kind === 'freeText').map((q) => html`<p>${pn.tr(q.prompt, lang)}: ${t('panel.results.texts', { n: q.textCount })}</p>`)}
      ${(results.sections ?? []).map((s) => chartTemplate(`s-${s.section}`, sectionLabel(s.section), s.buckets, s.rated))}
      <p><a href="${base}/export.csv?kind=results&amp;lang=${lang}" download>${t('panel.results.csv')}</a> ·
        <a href="${base}/export.csv?kind=items&amp;lang=${lang}" download>${t('panel.results.itemsCsv')}</a> ·
        <a href="${base}/export.json?kind=results&amp;lang=${lang}" download>${t('panel.results.json')}</a></p>`;
  }

  function invitesTemplate() {
    return html`<section class="card" aria-labelledby="panel-invites-title" data-testid="panel-invites"><h2 id="panel-invites-title">${t('panel.invites.title')}</h2>
      ${newCode ? html`<div class="notice notice-info" role="status"><p>${t('panel.invites.code')}</p><p class="invite-code" data-testid="invite-code"><strong>${newCode}</strong></p></div>` : ''}
      ${invites.length ? html`<ul>${invites.map((i) => html`<li>${i.label} · ${t('panel.invites.uses', { uses: i.uses, max: i.maxUses })}
        ${i.revoked ? html` · ${t('panel.invites.revoked')}` : html` <button type="button" class="button secondary" data-revoke="${i.id}">${t('panel.invites.revoke', { label: i.label })}</button>`}</li>`)}</ul>`
        : html`<p>${t('panel.invites.none')}</p>`}
      ${panel.status === 'draft' || panel.status === 'open' ? html`<form id="invite-form" novalidate>
        <p class="field"><label for="invite-label">${t('panel.invites.label')}</label><input id="invite-label" type="text" maxlength="100"></p>
        <p class="field"><label for="invite-max">${t('panel.invites.max')}</label><input id="invite-max" type="number" min="1" max="500" value="20"></p>
        <p><button type="submit" class="button primary">${t('panel.invites.create')}</button></p></form>` : ''}
    </section>`;
  }

  function renderResults() {
    const el = target.querySelector('#panel-results-body');
    if (el) render(el, resultsTemplate());
  }

  function update() {
    if (error || !panel) {
      render(target, html`<h1 id="page-title" tabindex="-1">${t('panel.title')}</h1>${error ? errorNotice(error) : html`<p>${t('app.loading')}</p>`}`);
      return;
    }
    const lang = getLang();
    const link = `${location.origin}${panel.publicPath}`;
    setTitle(pn.tr(panel.title, lang));
    render(target, html`
      ${panel.recommendationId ? html`<p><a href="#/recommendations/${encodeURIComponent(panel.recommendationId)}/panels">${t('panel.backToList')}</a></p>` : ''}
      <h1 id="page-title" tabindex="-1">${pn.tr(panel.title, lang)}</h1>
      <p><span class="badge" data-testid="panel-phase">${t(`panel.phase.${panel.phase}`)}</span>
        ${t('panel.dates', { from: formatDate(panel.opensOn, lang), to: formatDate(panel.closesOn, lang) })}</p>
      ${actionError ? errorNotice(actionError) : ''}
      <section class="card" aria-labelledby="panel-link-title"><h2 id="panel-link-title">${t('panel.link.title')}</h2>
        <p><a href="${panel.publicPath}" data-testid="panel-link">${link}</a></p>
        <img class="panel-qr" src="${base}/qr.svg" width="200" height="200" alt="${t('panel.link.qrAlt', { link })}">
        <p><a href="${base}/qr.png" download>${t('panel.link.png')}</a> · <a href="${base}/qr.svg" download>${t('panel.link.svg')}</a></p>
        ${moderator() ? html`<p>${pn.actions(panel.status).map((a) => html`<button type="button" class="button primary" data-action="${a}">${t(`panel.action.${a}`)}</button> `)}</p>` : ''}
      </section>
      ${moderator() && panel.status !== 'archived' ? (editor ? editor.template()
        : html`<p><button type="button" class="button secondary" id="panel-edit">${t('panel.edit.open')}</button></p>`) : ''}
      ${moderator() && panel.access === 'inviteOnly' ? invitesTemplate() : ''}
      ${moderator() ? html`<section class="card" aria-labelledby="panel-queue-title"><h2 id="panel-queue-title">${t('panel.queue.title', { n: queue.length })}</h2>
        ${queue.length ? html`<ul class="panel-items">${queue.map((i) => itemTemplate(i, true))}</ul>` : html`<p>${t('panel.queue.empty')}</p>`}</section>` : ''}
      <section class="card" aria-labelledby="panel-results-title"><h2 id="panel-results-title">${t('panel.results.title')}</h2>
        <div id="panel-results-body" aria-live="off">${resultsTemplate()}</div></section>
      <section class="card" aria-labelledby="panel-items-title"><h2 id="panel-items-title">${t('panel.items.title', { n: items.length })}</h2>
        ${items.length ? html`<ul class="panel-items">${items.map((i) => itemTemplate(i, false))}</ul>` : html`<p>${t('panel.items.empty')}</p>`}</section>`);
    bind();
  }

  function keepDrafts() {
    for (const el of target.querySelectorAll('[id^="reason-"], [id^="resp-"], [id^="rev-"]')) {
      const [kind, ...rest] = el.id.split('-');
      const itemId = rest.join('-');
      drafts[itemId] = drafts[itemId] ?? {};
      drafts[itemId][{ reason: 'reason', resp: 'response', rev: 'revision' }[kind]] = el.value;
    }
  }

  async function act(button, fn, message) {
    keepDrafts();
    const restore = busyButton(button);
    try {
      await fn();
      actionError = null;
      await Promise.all([loadPanel(), loadItems(), loadResults()]);
      announce(message);
    } catch (err) {
      actionError = err;
      restore();
    }
    if (!destroyed) update();
    target.querySelector('#page-title')?.focus();
  }

  function bind() {
    target.querySelector('#panel-edit')?.addEventListener('click', () => {
      keepDrafts();
      editor = settingsEditor(pn.fieldsOf(panel), {
        heading: t('panel.edit.title'), submit: t('panel.edit.submit'), busy: t('panel.edit.busy'),
        async save(body) {
          const { data } = await ctx.call(ctx.api.patch(base, body, { headers: { 'If-Match': ifMatch(panel.version) } }));
          panel = data;
          editor = null;
          announce(t('panel.edit.saved'));
          update();
          target.querySelector('#page-title')?.focus();
        },
      });
      update();
      target.querySelector('#pf-titleDe')?.focus();
    });
    if (editor) editor.bind(target, () => { keepDrafts(); update(); });
    target.querySelector('#invite-form')?.addEventListener('submit', (event) => {
      event.preventDefault();
      const label = target.querySelector('#invite-label').value;
      const maxUses = Number(target.querySelector('#invite-max').value);
      act(event.submitter, async () => {
        const { data } = await ctx.call(ctx.api.post(`${base}/invites`, { label, maxUses }));
        newCode = data.code;
      }, t('panel.invites.created'));
    });
    for (const b of target.querySelectorAll('[data-revoke]')) {
      b.addEventListener('click', () => act(b, () => ctx.call(ctx.api.post(`${base}/invites/${b.dataset.revoke}/revoke`)), t('panel.invites.revokedDone')));
    }
    for (const b of target.querySelectorAll('[data-action]')) {
      b.addEventListener('click', async () => {
        const step = b.dataset.action;
        // Closing ends the answers for everyone; archiving makes the panel read-only. Ask first.
        if ((step === 'close' || step === 'archive')
          && !(await confirmAction({ title: t(`confirm.panel.${step}.title`), body: t(`confirm.panel.${step}.body`), confirm: t(`confirm.panel.${step}.yes`), opener: b }))) return;
        act(b, () => ctx.call(ctx.api.post(`${base}/${step}`, undefined, { headers: { 'If-Match': ifMatch(panel.version) } })), t(`panel.done.${step}`));
      });
    }
    for (const b of target.querySelectorAll('[data-approve]')) {
      b.addEventListener('click', () => act(b, () => ctx.call(ctx.api.post(`${base}/items/${b.dataset.approve}/approve`, {}, { headers: { 'If-Match': ifMatch(Number(b.dataset.version)) } })),
        t('panel.done.approved')));
    }
    for (const b of target.querySelectorAll('[data-hide]')) {
      b.addEventListener('click', () => {
        const reason = target.querySelector(`#reason-${b.dataset.hide}`)?.value ?? '';
        act(b, () => ctx.call(ctx.api.post(`${base}/items/${b.dataset.hide}/hide`, { reason }, { headers: { 'If-Match': ifMatch(Number(b.dataset.version)) } })),
          t('panel.done.hidden'));
      });
    }
    for (const b of target.querySelectorAll('[data-respond]')) {
      b.addEventListener('click', () => {
        const text = target.querySelector(`#resp-${b.dataset.respond}`)?.value ?? '';
        const revision = target.querySelector(`#rev-${b.dataset.respond}`)?.value;
        const headers = b.dataset.version ? { 'If-Match': ifMatch(Number(b.dataset.version)) } : {};
        act(b, async () => {
          await ctx.call(ctx.api.put(`${base}/items/${b.dataset.respond}/response`, { text, changedRevision: revision ? Number(revision) : null }, { headers }));
          delete drafts[b.dataset.respond];
        }, t('panel.done.responded'));
      });
    }
  }

  start();
  return {
    name: 'panel',
    onTopicEvent(event) {
      if (!topic || event.topic !== topic || !event.data || event.data.panelId !== id && event.data.id !== id) return;
      if (pn.PANEL_EVENTS.has(event.name)) {
        panel = { ...panel, ...event.data };
        keepDrafts();
        update();
      } else if (event.name === 'panel.resultsChanged') {
        refreshResults();
      } else if (pn.ITEM_EVENTS.has(event.name)) {
        if (event.name === 'panel.awaitingModeration' && moderator()) announce(t('panel.live.awaiting'));
        keepDrafts();
        refreshItems();
      }
    },
    destroy() {
      destroyed = true;
      refreshResults.cancel();
      refreshItems.cancel();
      if (app.live && topic && subscribed) app.live.unsubscribe(topic);
    },
  };
}
