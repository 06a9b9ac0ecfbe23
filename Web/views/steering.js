// The steering group's rating (#/steering?year=2026), for steering-group members and
// administrators: the year's round and its window (administrators set it), per
// recommendation the counts per level and every member's rating with its justification,
// a form to rate while the round is open (members), and the consensus form
// (administrators). Changes by others arrive live on the `steering` topic; new
// catalogue entries on `catalogue`. What people type in the forms is kept across those
// updates.

import { html, render, attrs } from '../lib/html.js';
import { ApiError, ifMatch } from '../lib/api.js';
import { t, getLang, formatDate, formatDateTime, localizeFieldError } from '../lib/i18n.js';
import { $, announce, setTitle, errorNotice, errorText, renderKeepingFocus, busyButton } from '../lib/ui.js';
import * as st from '../state/steering.js';
import { hashQuery } from '../state/catalogue.js';
import { ratingLabel, ratingBadge } from './profile.js';

export function mountSteering(target, route, keep, ctx) {
  const { app } = ctx;
  const user = app.session?.user ?? {};
  const isSteering = Boolean(user.isSteering);
  const isAdmin = ctx.isAdmin();
  const today = st.berlinToday();
  let rounds = null;
  let summary = null;
  let roundsError = null;
  let summaryError = null;
  let destroyed = false;
  let year = null;
  let summarySeq = 0;
  const drafts = keep?.drafts ?? {}; // "rate:<ref>" | "consensus:<ref>" → {level, justification}; "round" → {opensOn, closesOn}
  const errors = {}; // form key → issues
  const notices = {}; // form key → SafeHtml
  const busy = new Set();
  let refreshTimer = null;
  let subscribed = [];

  setTitle(t('steering.title'));

  if (!isSteering && !isAdmin) {
    render(target, html`
      <h1 id="page-title" tabindex="-1">${t('steering.title')}</h1>
      <div class="notice notice-info"><p>${t('steering.forbidden')}</p></div>
      <p><a href="#/catalogue">${t('steering.toCatalogue')}</a></p>`);
    return { name: 'steering' };
  }

  const requested = new URLSearchParams(hashQuery(location.hash)).get('year');
  if (/^\d{4}$/.test(requested ?? '')) year = Number(requested);

  render(target, html`
    <h1 id="page-title" tabindex="-1">${t('steering.title')}</h1>
    <p class="lead">${t('steering.intro')}</p>
    <form id="steer-year-form" class="filters steer-year">
      <div class="field">
        <label for="steer-year" id="steer-year-label">${t('steering.year')}</label>
        <select id="steer-year" name="year"></select>
      </div>
    </form>
    <section class="card" id="steer-round" aria-labelledby="steer-round-title" data-testid="steering-round"></section>
    <div id="steer-summary"><p class="loading">${t('app.loading')}</p></div>`);

  // ------------------------------------------------------------ loading

  async function loadRounds() {
    try {
      const { data } = await ctx.call(ctx.api.get('/api/v1/rating-rounds'));
      if (destroyed) return null;
      rounds = Array.isArray(data?.items) ? data.items.slice().sort((a, b) => b.year - a.year) : [];
      roundsError = null;
      if (year === null) year = st.defaultYear(rounds, today);
      drawYear();
      drawRound();
      return data?.cursor && typeof data.cursor.seq === 'number' ? { epoch: data.cursor.epoch, seq: data.cursor.seq } : null;
    } catch (err) {
      roundsError = err;
      if (year === null) year = Number(today.slice(0, 4));
      drawYear();
      drawRound();
      throw err;
    }
  }

  async function loadSummary() {
    const seq = ++summarySeq;
    const wanted = year;
    try {
      const { data } = await ctx.call(ctx.api.get(`/api/v1/rating-rounds/${wanted}/summary`));
      if (destroyed || seq !== summarySeq) return;
      summary = Array.isArray(data?.items) ? data.items : [];
      summaryError = null;
    } catch (err) {
      if (destroyed || seq !== summarySeq) return;
      summaryError = err;
    }
    drawSummary();
  }

  function scheduleSummary() {
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      if (!destroyed) loadSummary();
    }, 300);
  }

  // ------------------------------------------------------------ round

  const round = () => st.roundOf(rounds, year);
  const roundOpen = () => st.roundState(round(), today) === 'open';

  function drawYear() {
    const select = $('#steer-year');
    if (!select) return;
    const years = st.yearsToOffer(rounds, Number(today.slice(0, 4)));
    if (year !== null && !years.includes(year)) years.push(year);
    renderKeepingFocus(select, html`${years.sort((a, b) => b - a).map((y) => html`<option value="${String(y)}" ${attrs({ selected: y === year })}>${String(y)}</option>`)}`);
  }

  function issuesFor(key, field) {
    return (errors[key] ?? []).filter((i) => String(i.field ?? '').split(/[.[]/)[0] === field);
  }

  function errorLine(id, issues) {
    return html`<p class="field-error" id="${id}" ${attrs({ hidden: issues.length === 0 })}>${issues.length ? html`<span class="visually-hidden">${t('field.error', { message: '' })}</span>${issues.map((i) => localizeFieldError(i, getLang())).join(' ')}` : ''}</p>`;
  }

  function roundTemplate() {
    const r = round();
    const state = st.roundState(r, today);
    const draft = drafts.round ?? { opensOn: r?.opensOn ?? '', closesOn: r?.closesOn ?? '' };
    const opensIssues = issuesFor('round', 'opensOn');
    const closesIssues = issuesFor('round', 'closesOn');
    return html`
      <h2 id="steer-round-title">${t('steering.round.title', { year })}</h2>
      ${roundsError && rounds === null ? errorNotice(roundsError) : ''}
      <p data-testid="round-state" data-state="${state}">
        <span class="badge badge-round-${state}">${t(`steering.round.state.${state}`)}</span>
        ${r ? t('steering.round.window', { opens: formatDate(r.opensOn, getLang()), closes: formatDate(r.closesOn, getLang()) }) : t('steering.round.none')}
      </p>
      ${isSteering && state === 'open' ? html`<p class="hint">${t('steering.round.rateHint')}</p>` : ''}
      ${isAdmin ? html`
        <form id="round-form" class="form round-form" novalidate aria-labelledby="round-form-title">
          <h3 id="round-form-title">${r ? t('steering.round.change') : t('steering.round.set')}</h3>
          <div class="round-dates">
            <div class="field">
              <label for="round-opens">${t('steering.round.opensOn')}</label>
              ${errorLine('round-opens-error', opensIssues)}
              <input id="round-opens" name="opensOn" type="date" required value="${draft.opensOn}" ${attrs({ 'aria-invalid': opensIssues.length ? 'true' : null, 'aria-describedby': opensIssues.length ? 'round-opens-error' : null })}>
            </div>
            <div class="field">
              <label for="round-closes">${t('steering.round.closesOn')}</label>
              ${errorLine('round-closes-error', closesIssues)}
              <input id="round-closes" name="closesOn" type="date" required value="${draft.closesOn}" ${attrs({ 'aria-invalid': closesIssues.length ? 'true' : null, 'aria-describedby': closesIssues.length ? 'round-closes-error' : null })}>
            </div>
          </div>
          <div id="round-status">${notices.round ?? ''}</div>
          <div class="actions"><button type="submit" class="button secondary" id="round-submit">${r ? t('steering.round.saveChange') : t('steering.round.save')}</button></div>
        </form>` : ''}`;
  }

  function drawRound() {
    const el = $('#steer-round');
    if (el) renderKeepingFocus(el, roundTemplate());
  }

  // ------------------------------------------------------------ summary

  function resultsTemplate(item) {
    const counts = st.countsList(item.counts);
    const total = st.totalRatings(item.counts);
    return html`
      <h3 class="h4" id="steer-${item.reference}-counts-title">${t('steering.counts', { total })}</h3>
      <ul class="counts" aria-labelledby="steer-${item.reference}-counts-title" data-testid="rating-counts">${counts.map((c) => html`<li><span class="count-number">${c.count}</span> ${ratingLabel(c.level)}</li>`)}</ul>
      ${item.ratings.length ? html`
        <h3 class="h4" id="steer-${item.reference}-ratings-title">${t('steering.ratings')}</h3>
        <ul class="rating-list" aria-labelledby="steer-${item.reference}-ratings-title" data-testid="rating-list">${item.ratings.map((r) => html`<li data-user="${r.userId}">
          <p class="rating-head"><strong>${r.displayName || '?'}</strong> ${ratingBadge(r.level)} <span class="small muted">${formatDateTime(r.at, getLang())}</span></p>
          <p class="pre-line rating-text">${r.justification}</p>
        </li>`)}</ul>` : html`<p class="muted">${t('steering.noRatings')}</p>`}
      <h3 class="h4">${t('steering.consensus')}</h3>
      ${item.consensus ? html`<div class="consensus" data-testid="consensus">
          <p>${ratingBadge(item.consensus.level)} <span class="small muted">${formatDateTime(item.consensus.at, getLang())}</span></p>
          <p class="pre-line">${item.consensus.justification}</p>
          ${item.consensus.level === 'lessRelevant' ? html`<p class="small">${t('catalogue.notInDossier')}</p>` : ''}
        </div>` : html`<p class="muted" data-testid="consensus">${t('steering.noConsensus')}</p>`}`;
  }

  function levelForm(kind, item, initial) {
    const key = `${kind}:${item.reference}`;
    const draft = drafts[key] ?? initial ?? { level: '', justification: '' };
    const prefix = `${kind}-${item.reference}`;
    const levelIssues = issuesFor(key, 'level');
    const textIssues = issuesFor(key, 'justification');
    const title = kind === 'rate' ? (initial ? t('steering.rate.change') : t('steering.rate.title')) : (item.consensus ? t('steering.consensus.change') : t('steering.consensus.title'));
    return html`
      <form id="${prefix}-form" class="form level-form" data-kind="${kind}" data-ref="${item.reference}" novalidate aria-labelledby="${prefix}-title">
        <h3 id="${prefix}-title">${title}</h3>
        <fieldset class="field" id="${prefix}-levels" ${attrs({ 'aria-describedby': levelIssues.length ? `${prefix}-level-error` : null })}>
          <legend>${kind === 'rate' ? t('steering.rate.level') : t('steering.consensus.level')}</legend>
          ${errorLine(`${prefix}-level-error`, levelIssues)}
          <div class="checks">${st.RATING_LEVELS.map((l) => html`
            <div class="check">
              <input type="radio" id="${prefix}-${l}" name="level" value="${l}" ${attrs({ checked: draft.level === l, 'aria-invalid': levelIssues.length ? 'true' : null })}>
              <label for="${prefix}-${l}">${ratingLabel(l)}</label>
            </div>`)}</div>
        </fieldset>
        <div class="field">
          <label for="${prefix}-justification">${t('steering.justification')}</label>
          <p class="hint" id="${prefix}-justification-hint">${t('steering.justificationHint')}</p>
          ${errorLine(`${prefix}-justification-error`, textIssues)}
          <textarea id="${prefix}-justification" name="justification" rows="3" maxlength="2000" ${attrs({
            'aria-invalid': textIssues.length ? 'true' : null,
            'aria-describedby': [textIssues.length ? `${prefix}-justification-error` : null, `${prefix}-justification-hint`].filter(Boolean).join(' '),
          })}>${draft.justification}</textarea>
        </div>
        <div id="${prefix}-status">${notices[key] ?? ''}</div>
        <div class="actions"><button type="submit" class="button primary" id="${prefix}-submit">${kind === 'rate' ? t('steering.rate.submit') : t('steering.consensus.submit')}</button></div>
      </form>`;
  }

  function rateTemplate(item) {
    if (!isSteering) return html``;
    const mine = st.myRating(item, user.id);
    if (!roundOpen()) {
      return mine
        ? html`<p class="small">${t('steering.rate.yoursClosed', { level: ratingLabel(mine.level) })}</p>`
        : html`<p class="small muted">${t('steering.rate.closed')}</p>`;
    }
    return levelForm('rate', item, mine ? { level: mine.level, justification: mine.justification } : null);
  }

  function consensusFormTemplate(item) {
    if (!isAdmin) return html``;
    return levelForm('consensus', item, item.consensus ? { level: item.consensus.level, justification: item.consensus.justification } : null);
  }

  function itemTemplate(item) {
    const ref = item.reference;
    return html`<article class="card steer-entry" id="steer-${ref}" data-ref="${ref}" aria-labelledby="steer-${ref}-title" data-testid="steering-entry">
      <h2 id="steer-${ref}-title"><span class="mono">${ref}</span> ${item.title}</h2>
      <p class="ws-meta"><span>${item.workspaceName}</span> <a href="#/catalogue/${encodeURIComponent(ref)}">${t('steering.readProfile')}<span class="visually-hidden"> (${ref})</span></a></p>
      <div class="steer-grid">
        <div id="steer-${ref}-results" class="steer-results">${resultsTemplate(item)}</div>
        <div class="steer-forms">
          <div id="steer-${ref}-rate">${rateTemplate(item)}</div>
          <div id="steer-${ref}-consensus">${consensusFormTemplate(item)}</div>
        </div>
      </div>
    </article>`;
  }

  function drawSummary() {
    const el = $('#steer-summary');
    if (!el || destroyed) return;
    if (summaryError && summary === null) {
      renderKeepingFocus(el, html`${errorNotice(summaryError)}<p><button type="button" class="button secondary" id="steer-retry">${t('app.retry')}</button></p>`);
      return;
    }
    if (summary === null) {
      render(el, html`<p class="loading">${t('app.loading')}</p>`);
      return;
    }
    renderKeepingFocus(el, html`
      <p class="count" id="steer-count">${summary.length === 1 ? t('steering.count.one') : t('steering.count', { count: summary.length, year })}</p>
      ${summary.length === 0 ? html`<p class="empty">${t('steering.empty', { year })}</p>` : ''}
      <div class="steer-list" data-testid="steering-list">${summary.map(itemTemplate)}</div>`);
  }

  /** Re-renders one entry's results (and its forms when asked), keeping typed text. */
  function drawItem(ref, { forms = false } = {}) {
    const item = (summary ?? []).find((s) => s.reference === ref);
    if (!item) return;
    const results = document.getElementById(`steer-${ref}-results`);
    if (results) renderKeepingFocus(results, resultsTemplate(item));
    if (forms) {
      const rate = document.getElementById(`steer-${ref}-rate`);
      if (rate) renderKeepingFocus(rate, rateTemplate(item));
      const consensus = document.getElementById(`steer-${ref}-consensus`);
      if (consensus) renderKeepingFocus(consensus, consensusFormTemplate(item));
    }
  }

  // ------------------------------------------------------------ actions

  function readLevelForm(form) {
    return {
      level: form.querySelector('input[name="level"]:checked')?.value ?? '',
      justification: form.querySelector('textarea[name="justification"]')?.value ?? '',
    };
  }

  async function submitLevel(form) {
    const kind = form.getAttribute('data-kind');
    const ref = form.getAttribute('data-ref');
    const key = `${kind}:${ref}`;
    if (busy.has(key)) return;
    const values = readLevelForm(form);
    drafts[key] = values;
    const { issues, body } = st.validateRating(values);
    delete notices[key];
    if (issues.length) {
      errors[key] = issues;
      drawItem(ref, { forms: true });
      document.getElementById(`${kind}-${ref}-form`)?.querySelector('[aria-invalid="true"]')?.focus();
      announce(t('rec.save.invalid'));
      return;
    }
    delete errors[key];
    busy.add(key);
    const statusEl = document.getElementById(`${kind}-${ref}-status`);
    if (statusEl) render(statusEl, html``);
    const restore = busyButton(document.getElementById(`${kind}-${ref}-submit`), t('steering.saving'));
    try {
      const url = `/api/v1/catalogue/${encodeURIComponent(ref)}/${kind === 'rate' ? 'ratings/mine' : 'consensus'}`;
      const { data } = await ctx.call(ctx.api.put(url, body));
      busy.delete(key);
      delete drafts[key];
      if (kind === 'rate') summary = st.applyRating(summary, { ...data, displayName: data.displayName || user.displayName });
      else summary = st.applyConsensus(summary, data);
      const text = kind === 'rate' ? t('steering.rate.saved', { reference: ref }) : t('steering.consensus.saved', { reference: ref });
      notices[key] = html`<div class="notice notice-success" data-testid="${kind}-saved"><p>${text}</p></div>`;
      drawItem(ref, { forms: true });
      announce(text);
      document.getElementById(`${kind}-${ref}-submit`)?.focus();
    } catch (err) {
      busy.delete(key);
      restore();
      if (err instanceof ApiError && err.fields.length) {
        errors[key] = err.fields;
        drawItem(ref, { forms: true });
        document.getElementById(`${kind}-${ref}-form`)?.querySelector('[aria-invalid="true"]')?.focus();
      } else {
        notices[key] = errorNotice(err);
        drawItem(ref, { forms: true });
        announce(errorText(err));
        document.getElementById(`${kind}-${ref}-submit`)?.focus();
      }
      if (err instanceof ApiError && (err.code === 'rating.roundClosed' || err.code === 'rating.noRound')) loadRounds().catch(() => {});
    }
  }

  async function submitRound(form) {
    if (busy.has('round')) return;
    const values = { opensOn: form.elements.namedItem('opensOn').value, closesOn: form.elements.namedItem('closesOn').value };
    drafts.round = values;
    const { issues, body } = st.validateRound(values);
    delete notices.round;
    if (issues.length) {
      errors.round = issues;
      drawRound();
      $('#round-form [aria-invalid="true"]')?.focus();
      return;
    }
    delete errors.round;
    busy.add('round');
    const statusEl = $('#round-status');
    if (statusEl) render(statusEl, html``);
    const restore = busyButton($('#round-submit'), t('steering.saving'));
    const existing = round();
    try {
      const headers = existing ? { 'If-Match': ifMatch(existing.version) } : {};
      const { data } = await ctx.call(ctx.api.put(`/api/v1/rating-rounds/${year}`, body, { headers }));
      busy.delete('round');
      delete drafts.round;
      rounds = st.applyRound(rounds, data);
      notices.round = html`<div class="notice notice-success" data-testid="round-saved"><p>${t('steering.round.saved', { year })}</p></div>`;
      drawRound();
      drawSummary();
      announce(t('steering.round.saved', { year }));
      $('#round-submit')?.focus();
    } catch (err) {
      busy.delete('round');
      restore();
      if (err instanceof ApiError && err.fields.length) {
        errors.round = err.fields;
      } else if (err instanceof ApiError && err.status === 409) {
        notices.round = html`<div class="notice notice-error" role="alert"><p>${t('steering.round.conflict')}</p></div>`;
        loadRounds().catch(() => {});
      } else {
        notices.round = errorNotice(err);
      }
      drawRound();
      ($('#round-form [aria-invalid="true"]') ?? $('#round-submit'))?.focus();
    }
  }

  function changeYear(next) {
    if (!Number.isInteger(next) || next === year) return;
    year = next;
    history.replaceState(null, '', `#/steering?year=${year}`);
    summary = null;
    summaryError = null;
    delete drafts.round;
    delete errors.round;
    delete notices.round;
    drawRound();
    drawSummary();
    loadSummary().then(() => announce(summary ? (summary.length === 1 ? t('steering.count.one') : t('steering.count', { count: summary.length, year })) : ''));
  }

  // ------------------------------------------------------------ start

  loadRounds()
    .then((cursor) => {
      if (destroyed) return;
      if (app.live) {
        app.live.subscribe('steering', { cursor, reload: async () => {
          const c = await loadRounds();
          await loadSummary();
          return c;
        } });
        app.live.subscribe('catalogue', { cursor: null });
        subscribed = ['steering', 'catalogue'];
      }
    })
    .catch(() => {})
    .finally(() => {
      if (!destroyed) loadSummary();
    });

  return {
    name: 'steering',
    onTopicEvent(event) {
      if (!event.data) return;
      if (event.topic === 'steering') {
        if (event.name === 'rating.roundSet') {
          const before = roundOpen();
          rounds = st.applyRound(rounds, event.data);
          drawYear();
          if (!drafts.round) drawRound();
          if (event.data.year === year) {
            announce(t('steering.live.round', { year }));
            if (before !== roundOpen()) for (const item of summary ?? []) drawItem(item.reference, { forms: true });
          }
        } else if (event.name === 'rating.submitted') {
          const before = summary;
          summary = st.applyRating(summary, event.data);
          if (summary !== before) {
            drawItem(event.data.reference);
            if (event.data.userId !== user.id) announce(t('steering.live.rated', { name: event.data.displayName || '?', reference: event.data.reference }));
          }
        } else if (event.name === 'catalogue.consensusSet') {
          const before = summary;
          summary = st.applyConsensus(summary, event.data);
          if (summary !== before) {
            drawItem(event.data.reference, { forms: !drafts[`consensus:${event.data.reference}`] });
            announce(t('catalogue.live.rated', { reference: event.data.reference, rating: ratingLabel(event.data.consensus?.level) }));
          }
        }
      } else if (event.topic === 'catalogue' && event.name === 'catalogue.entryAdded' && Number(event.data.year) === year) {
        announce(t('catalogue.live.added', { reference: event.data.reference, title: event.data.profile?.title ?? '' }));
        scheduleSummary();
      }
    },
    onSubmit(form) {
      if (form.id === 'round-form') submitRound(form);
      else if (form.classList.contains('level-form')) submitLevel(form);
    },
    onInput(el) {
      const form = el.form;
      if (!form) return;
      if (form.classList.contains('level-form')) drafts[`${form.getAttribute('data-kind')}:${form.getAttribute('data-ref')}`] = readLevelForm(form);
      if (form.id === 'round-form') drafts.round = { opensOn: form.elements.namedItem('opensOn').value, closesOn: form.elements.namedItem('closesOn').value };
    },
    onChange(el) {
      if (el.id === 'steer-year') {
        changeYear(Number(el.value));
        return;
      }
      this.onInput(el);
    },
    onClick(el) {
      if (el.id === 'steer-retry') {
        summaryError = null;
        drawSummary();
        loadSummary();
        return true;
      }
      return false;
    },
    keep() {
      return { drafts };
    },
    destroy() {
      destroyed = true;
      if (refreshTimer) clearTimeout(refreshTimer);
      if (app.live) for (const topic of subscribed) app.live.unsubscribe(topic);
    },
  };
}
