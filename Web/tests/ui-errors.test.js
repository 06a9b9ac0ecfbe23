import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorContent, errorText } from '../lib/ui.js';
import { ApiError } from '../lib/api.js';
import { setLang } from '../lib/i18n.js';

test('server errors read in the page language, with the invalid fields listed by name', () => {
  setLang('de');
  const tooEarly = new ApiError({ status: 409, code: 'meeting.tooEarly', message: 'A meeting can start at most an hour before its planned time.' });
  assert.equal(errorText(tooEarly), 'Eine Sitzung kann frühestens eine Stunde vor ihrem Beginn gestartet werden.');
  const invalid = new ApiError({ status: 422, code: 'validation.failed', message: 'Some fields are invalid.',
    fields: [{ field: 'place', code: 'required', message: 'A place or an online link is needed.' }, { field: 'weird[0]', code: 'zzz', message: 'Raw <b>server</b> text' }] });
  const markup = String(errorContent(invalid));
  assert.match(markup, /^Einige Angaben sind nicht gültig:<ul class="error-fields">/);
  assert.match(markup, /<li>Ort: Bitte füllen Sie dieses Feld aus\.<\/li>/);
  assert.match(markup, /<li>weird: Raw &lt;b&gt;server&lt;\/b&gt; text<\/li>/, 'unknown fields and messages are escaped, never markup');
  setLang('en');
  assert.equal(errorText(tooEarly), 'A meeting can start at most an hour before its planned time.');
  assert.match(String(errorContent(invalid)), /<li>Place: Please fill in this field\.<\/li>/);
  // Without fields: the text alone.
  assert.equal(String(errorContent(tooEarly)), 'A meeting can start at most an hour before its planned time.');
  setLang('de');
});
