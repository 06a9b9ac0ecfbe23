import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanRuns, oldText, newText, diffStats, diffTemplate, listChange } from '../lib/diff.js';

const runs = [
  { op: 'equal', text: 'Die ' },
  { op: 'delete', text: 'alte' },
  { op: 'insert', text: 'neue' },
  { op: 'equal', text: ' Fassung' },
  { op: 'insert', text: '' },
  { op: 'bogus', text: 'x' },
  { op: 'insert', text: ' mit' },
  { op: 'insert', text: ' Zusatz' },
];

test('runs give back both texts', () => {
  assert.equal(oldText(runs), 'Die alte Fassung');
  assert.equal(newText(runs), 'Die neue Fassung mit Zusatz');
  assert.deepEqual(cleanRuns(runs).map((r) => r.op), ['equal', 'delete', 'insert', 'equal', 'insert']);
  assert.deepEqual(diffStats(runs), { inserted: 3, deleted: 1 });
  assert.deepEqual(cleanRuns(null), []);
});

test('insertions are <ins>, deletions <del>, each with a text alternative', () => {
  const labels = { insertStart: '[eingefügt: ', insertEnd: ']', deleteStart: '[gelöscht: ', deleteEnd: ']' };
  const out = diffTemplate(runs, labels).value;
  assert.equal(out,
    'Die <del><span class="visually-hidden">[gelöscht: </span>alte<span class="visually-hidden">]</span></del>'
    + '<ins><span class="visually-hidden">[eingefügt: </span>neue<span class="visually-hidden">]</span></ins> Fassung'
    + '<ins><span class="visually-hidden">[eingefügt: </span> mit Zusatz<span class="visually-hidden">]</span></ins>');
});

test('diff text is escaped (script injection stays inert)', () => {
  const out = diffTemplate([{ op: 'insert', text: '<img src=x onerror=alert(1)>' }, { op: 'equal', text: '"&' }]).value;
  assert.ok(!out.includes('<img'));
  assert.ok(out.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(out.endsWith('&quot;&amp;'));
});

test('list changes for policy fields and impact kinds', () => {
  assert.deepEqual(listChange(['a', 'b'], ['b', 'c']), { added: ['c'], removed: ['a'], kept: ['b'] });
  assert.deepEqual(listChange(null, ['x']), { added: ['x'], removed: [], kept: [] });
});
