// A recommendation's profile (Steckbrief) as read-only markup: used by the public
// catalogue, the editor for readers (observers, finished recommendations), the history and
// the steering page. Long texts are Markdown and go through lib/markdown.js only; every
// other value goes through html``.

import { html } from '../lib/html.js';
import { renderMarkdown } from '../lib/markdown.js';
import { t, getLang } from '../lib/i18n.js';
import * as rec from '../state/recommendations.js';

/** A number in the page's language (1.234,5 / 1,234.5). */
export function formatNumber(value, { decimals = 2 } = {}) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '–';
  return new Intl.NumberFormat(getLang() === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: decimals }).format(Number(value));
}

export function formatEuro(value) {
  if (value === null || value === undefined || !Number.isFinite(Number(value))) return '–';
  return new Intl.NumberFormat(getLang() === 'en' ? 'en-GB' : 'de-DE', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 }).format(Number(value));
}

export function sectionLabel(section) {
  return t(`rec.section.${section}`);
}

export function impactLabel(kind) {
  return rec.IMPACT_KINDS.includes(kind) ? t(`rec.impact.${kind}`) : String(kind ?? '');
}

export function directionLabel(direction) {
  return rec.DIRECTIONS.includes(direction) ? t(`rec.direction.${direction}`) : String(direction ?? '');
}

export function budgetYearsText(years) {
  const list = Array.isArray(years) ? years : [];
  if (list.length === 0) return '';
  if (list.length === 2) return t('rec.budget.double', { first: list[0], second: list[1] });
  return String(list[0]);
}

function markdownOrEmpty(text) {
  return String(text ?? '').trim() ? html`<div class="md">${renderMarkdown(text)}</div>` : html`<p class="muted">${t('rec.empty')}</p>`;
}

function indicatorTemplate(i) {
  const unit = i.unit ? html` <span class="muted">(${i.unit})</span>` : '';
  return html`<li class="indicator-view">
    <p class="indicator-name"><strong>${i.name || t('rec.indicator.unnamed')}</strong>${unit}</p>
    <dl class="inline-facts">
      <div><dt>${t('rec.indicator.baseline')}</dt><dd>${formatNumber(i.baseline)}</dd></div>
      <div><dt>${t('rec.indicator.target')}</dt><dd>${formatNumber(i.target)}</dd></div>
      <div><dt>${t('rec.indicator.direction')}</dt><dd>${directionLabel(i.direction)}</dd></div>
      ${i.source ? html`<div><dt>${t('rec.indicator.source')}</dt><dd>${i.source}</dd></div>` : ''}
    </dl>
  </li>`;
}

/**
 * The content of one section (without its heading). `policyFieldName(id)` gives a policy
 * field's name in the page's language (or null when unknown).
 */
export function valueTemplate(section, value, { policyFieldName = () => null } = {}) {
  const v = rec.normalizeValue(section, value);
  switch (section) {
    case 'title':
      return v ? html`<p>${v}</p>` : html`<p class="muted">${t('rec.empty')}</p>`;
    case 'responsibleBody':
      return v ? html`<p class="pre-line">${v}</p>` : html`<p class="muted">${t('rec.empty')}</p>`;
    case 'policyFields': {
      const names = v.map((id) => policyFieldName(id) ?? t('rec.policyField.unknown'));
      return names.length ? html`<ul class="tag-list">${names.map((n) => html`<li>${n}</li>`)}</ul>` : html`<p class="muted">${t('rec.empty')}</p>`;
    }
    case 'impactKinds':
      return v.length ? html`<ul class="tag-list">${v.map((k) => html`<li>${impactLabel(k)}</li>`)}</ul>` : html`<p class="muted">${t('rec.empty')}</p>`;
    case 'budgetYears':
      return v.length ? html`<p>${budgetYearsText(v)}</p>` : html`<p class="muted">${t('rec.empty')}</p>`;
    case 'resources':
      return html`
        <dl class="inline-facts resources-view">
          <div><dt>${t('rec.resources.personnel')}</dt><dd>${v.personnelFte === null ? '–' : t('rec.resources.fteValue', { n: formatNumber(v.personnelFte) })}</dd></div>
          <div><dt>${t('rec.resources.duration')}</dt><dd>${v.durationMonths === null ? '–' : t('rec.resources.monthsValue', { n: formatNumber(v.durationMonths, { decimals: 0 }) })}</dd></div>
          <div><dt>${t('rec.resources.money')}</dt><dd>${v.moneyEuroPerYear === null ? '–' : t('rec.resources.moneyValue', { amount: formatEuro(v.moneyEuroPerYear) })}</dd></div>
        </dl>
        ${v.note.trim() ? html`<div class="md">${renderMarkdown(v.note)}</div>` : ''}`;
    case 'indicators':
      return v.length ? html`<ul class="indicator-list">${v.map(indicatorTemplate)}</ul>` : html`<p class="muted">${t('rec.empty')}</p>`;
    default:
      return markdownOrEmpty(v);
  }
}

/** The sections shown below the title, in the profile's order. */
export const PROFILE_BODY = rec.SECTIONS.filter((s) => s !== 'title');

function heading(level, id, text) {
  if (level === 2) return html`<h2 id="${id}">${text}</h2>`;
  if (level === 3) return html`<h3 id="${id}">${text}</h3>`;
  return html`<h4 id="${id}">${text}</h4>`;
}

/**
 * The whole profile (without the title): one block per section with a heading of `level`
 * (2, 3 or 4). `idPrefix` keeps the ids unique when several profiles are on a page.
 */
export function profileTemplate(profile, { level = 3, idPrefix = 'profile', policyFieldName } = {}) {
  return html`<div class="profile">
    ${PROFILE_BODY.map((s) => html`<section class="profile-section" aria-labelledby="${idPrefix}-${s}">
      ${heading(level, `${idPrefix}-${s}`, sectionLabel(s))}
      ${valueTemplate(s, rec.sectionValue(profile, s), { policyFieldName })}
    </section>`)}
  </div>`;
}

export function ratingLabel(level) {
  return ['highlyRelevant', 'relevant', 'lessRelevant'].includes(level) ? t(`rating.${level}`) : String(level ?? '');
}

/** A rating as a badge (text, never colour alone). */
export function ratingBadge(level) {
  return html`<span class="badge badge-rating badge-${level}">${ratingLabel(level)}</span>`;
}
