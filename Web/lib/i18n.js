// German first, English complete. t(key, params) looks a message up in the current
// language; {name} placeholders are filled from params (the result is plain text, and
// html`` escapes it where it is shown). The chosen language is kept in localStorage and
// mirrored to <html lang>.

export const LANGUAGES = ['de', 'en'];
export const STORAGE_KEY = 'roundtable.lang';

export const messages = {
  de: {
    'app.name': 'Roundtable',
    'app.tagline': 'Beteiligung in der Sozialplanung',
    'app.skip': 'Zum Inhalt springen',
    'app.nav': 'Hauptnavigation',
    'app.footer': 'Roundtable – Integrierte Sozialplanung des Kreises',
    'app.loading': 'Wird geladen…',
    'app.notFound.title': 'Seite nicht gefunden',
    'app.notFound.body': 'Diese Adresse gibt es nicht.',
    'app.backToDirectory': 'Zur Übersicht der Arbeitsgruppen',
    'app.retry': 'Erneut versuchen',
    'app.pageTitle': '{title} – Roundtable',

    'lang.switch': 'English',
    'lang.switchLabel': 'Switch to English',
    'lang.switchCode': 'en',

    'conn.label': 'Live-Verbindung',
    'conn.idle': 'Nicht verbunden',
    'conn.connecting': 'Verbindung wird hergestellt…',
    'conn.open': 'Verbunden',
    'conn.reconnecting': 'Verbindung wird wiederhergestellt…',
    'conn.closed': 'Nicht verbunden',
    'conn.lost': 'Die Live-Verbindung ist unterbrochen. Sie wird wiederhergestellt.',
    'conn.restored': 'Die Live-Verbindung ist wiederhergestellt.',

    'nav.directory': 'Arbeitsgruppen',
    'nav.new': 'Neue Arbeitsgruppe',
    'nav.signOut': 'Abmelden',
    'nav.signedInAs': 'Angemeldet als {name}',
    'nav.admin': 'Administration',

    'signin.title': 'Anmelden',
    'signin.intro': 'Melden Sie sich mit Ihrer dienstlichen E-Mail-Adresse an.',
    'signin.email': 'E-Mail-Adresse',
    'signin.password': 'Passwort',
    'signin.submit': 'Anmelden',
    'signin.submitting': 'Anmeldung läuft…',
    'signin.error.title': 'Die Anmeldung hat nicht geklappt',
    'signin.error.invalid': 'E-Mail-Adresse oder Passwort ist nicht richtig.',
    'signin.error.rateLimited': 'Zu viele Anmeldeversuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.',
    'signin.error.missing': 'Bitte geben Sie E-Mail-Adresse und Passwort ein.',
    'signin.expired': 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.',
    'signin.signedOut': 'Sie haben sich abgemeldet.',

    'dir.title': 'Arbeitsgruppen',
    'dir.intro': 'Fokusgruppen, Task Forces und Planungsteams der Integrierten Sozialplanung.',
    'dir.filters': 'Filter',
    'dir.filter.kind': 'Art',
    'dir.filter.kind.all': 'Alle Arten',
    'dir.filter.field': 'Handlungsfeld',
    'dir.filter.field.all': 'Alle Handlungsfelder',
    'dir.filter.archived': 'Archivierte anzeigen',
    'dir.count': '{count} Arbeitsgruppen',
    'dir.count.one': '1 Arbeitsgruppe',
    'dir.count.zero': 'Keine Arbeitsgruppen',
    'dir.empty': 'Keine Arbeitsgruppe passt zu den Filtern.',
    'dir.archived': 'Archiviert',
    'dir.endsOn': 'Endet am {date}',
    'dir.fields': 'Handlungsfelder',
    'dir.noFields': 'Kein Handlungsfeld',
    'dir.create': 'Neue Arbeitsgruppe anlegen',
    'dir.loadError': 'Die Arbeitsgruppen konnten nicht geladen werden.',
    'dir.prioritised': 'priorisiert {year}',

    'kind.focusGroup': 'Fokusgruppe',
    'kind.taskForce': 'Task Force',
    'kind.planningTeam': 'Planungsteam',

    'role.coordinator': 'Koordination',
    'role.member': 'Mitglied',
    'role.observer': 'Beobachtung',

    'create.title': 'Neue Arbeitsgruppe',
    'create.intro': 'Felder mit * sind Pflichtfelder.',
    'create.kind': 'Art',
    'create.name': 'Name',
    'create.name.hint': 'Zum Beispiel „AK Gemeindenahe Psychiatrie“.',
    'create.description': 'Beschreibung',
    'create.description.hint': 'Worum geht es, wer arbeitet mit?',
    'create.fields': 'Handlungsfelder',
    'create.fields.hint': 'Mehrere Handlungsfelder sind möglich.',
    'create.endsOn': 'Endet am',
    'create.endsOn.hint': 'Für Task Forces: Enddatum. Sonst leer lassen.',
    'create.submit': 'Arbeitsgruppe anlegen',
    'create.submitting': 'Wird angelegt…',
    'create.cancel': 'Abbrechen',
    'create.errors.title': 'Bitte prüfen Sie Ihre Eingaben',
    'create.errors.count': '{count} Angaben sind nicht in Ordnung:',
    'create.errors.one': 'Eine Angabe ist nicht in Ordnung:',
    'create.forbidden': 'Nur Administratorinnen und Administratoren können Arbeitsgruppen anlegen.',
    'create.created': 'Arbeitsgruppe „{name}“ wurde angelegt.',
    'create.required': 'Pflichtfeld',

    'detail.loadError': 'Die Arbeitsgruppe konnte nicht geladen werden.',
    'detail.notFound': 'Diese Arbeitsgruppe gibt es nicht (mehr).',
    'detail.forbidden': 'Sie haben keinen Zugriff auf diese Arbeitsgruppe.',
    'detail.kind': 'Art',
    'detail.status': 'Status',
    'detail.status.active': 'Aktiv',
    'detail.status.archived': 'Archiviert',
    'detail.fields': 'Handlungsfelder',
    'detail.endsOn': 'Endet am',
    'detail.noEnd': 'Kein Enddatum',
    'detail.version': 'Fassung',
    'detail.updatedAt': 'Zuletzt geändert',
    'detail.description': 'Beschreibung',
    'detail.noDescription': 'Keine Beschreibung.',
    'detail.facts': 'Eckdaten',
    'detail.edit': 'Bearbeiten',
    'detail.edit.title': 'Name und Beschreibung bearbeiten',
    'detail.save': 'Änderungen speichern',
    'detail.saving': 'Wird gespeichert…',
    'detail.saved': 'Änderungen gespeichert.',
    'detail.cancel': 'Abbrechen',
    'detail.archive': 'Archivieren',
    'detail.restore': 'Wiederherstellen',
    'detail.archived.notice': 'Diese Arbeitsgruppe ist archiviert.',
    'detail.members': 'Mitglieder',
    'detail.members.empty': 'Noch keine Mitglieder.',
    'detail.members.error': 'Die Mitgliederliste konnte nicht geladen werden.',
    'detail.members.name': 'Name',
    'detail.members.role': 'Rolle',
    'detail.members.org': 'Organisation',
    'detail.presence': 'Gerade hier',
    'detail.presence.alone': 'Niemand sonst sieht sich diese Arbeitsgruppe gerade an.',
    'detail.presence.others': 'Ebenfalls hier: {names}',
    'detail.conflict.title': 'Jemand anderes hat diese Arbeitsgruppe inzwischen geändert',
    'detail.conflict.body': 'Ihre Änderung wurde nicht gespeichert. So sieht die aktuelle Fassung aus:',
    'detail.conflict.yours': 'Ihre Eingabe',
    'detail.conflict.current': 'Aktuelle Fassung',
    'detail.conflict.reload': 'Aktuelle Fassung übernehmen',
    'detail.conflict.reloaded': 'Die aktuelle Fassung wurde übernommen. Sie können Ihre Änderung jetzt erneut vornehmen.',
    'detail.changedElsewhere': 'Diese Arbeitsgruppe wurde gerade von jemand anderem geändert.',

    'live.created': 'Arbeitsgruppe „{name}“ wurde angelegt.',
    'live.updated': 'Arbeitsgruppe „{name}“ wurde geändert.',
    'live.archived': 'Arbeitsgruppe „{name}“ wurde archiviert.',
    'live.restored': 'Arbeitsgruppe „{name}“ wurde wiederhergestellt.',
    'live.policyField': 'Handlungsfeld „{name}“ wurde geändert.',
    'live.memberAdded': '{name} ist jetzt Mitglied.',
    'live.memberUpdated': 'Die Rolle von {name} wurde geändert.',
    'live.memberRemoved': '{name} ist kein Mitglied mehr.',

    'error.generic': 'Etwas ist schiefgegangen: {message}',
    'error.network': 'Der Server ist nicht erreichbar. Bitte prüfen Sie Ihre Verbindung.',
    'error.forbidden': 'Dafür fehlt Ihnen die Berechtigung.',
    'field.error': 'Fehler: {message}',

    'fieldError.required': 'Bitte füllen Sie dieses Feld aus.',
    'fieldError.name.required': 'Bitte geben Sie einen Namen an.',
    'fieldError.endsOn.required': 'Eine Task Force braucht ein Enddatum.',
    'fieldError.kind.required': 'Bitte wählen Sie eine Art.',
    'fieldError.tooShort': 'Die Eingabe ist zu kurz.',
    'fieldError.tooShort.n': 'Bitte geben Sie mindestens {n} Zeichen ein.',
    'fieldError.tooLong': 'Die Eingabe ist zu lang.',
    'fieldError.tooLong.n': 'Höchstens {n} Zeichen sind möglich.',
    'fieldError.tooMany': 'Zu viele Einträge ausgewählt.',
    'fieldError.tooMany.n': 'Höchstens {n} Einträge sind möglich.',
    'fieldError.invalidCharacters': 'Die Eingabe enthält unzulässige Steuerzeichen.',
    'fieldError.unknown': 'Diese Auswahl gibt es nicht (mehr).',
    'fieldError.invalidDate': 'Bitte geben Sie ein gültiges Datum an.',
    'fieldError.notAllowed': 'Diese Angabe ist hier nicht erlaubt.',
    'fieldError.endsOn.notAllowed': 'Nur Task Forces haben ein Enddatum. Bitte lassen Sie das Feld leer.',
    'fieldError.endsOn.inPast': 'Das Enddatum liegt in der Vergangenheit.',
    'fieldError.invalid': 'Diese Angabe ist ungültig.',
    'fieldError.kind.invalid': 'Bitte wählen Sie Fokusgruppe, Task Force oder Planungsteam.',
    'fieldError.invalidType': 'Diese Angabe hat das falsche Format.',
    'fieldError.outOfRange': 'Dieser Wert liegt außerhalb des erlaubten Bereichs.',

    'errorCode.workspace.archived': 'Die Arbeitsgruppe ist archiviert und kann nicht bearbeitet werden. Stellen Sie sie zuerst wieder her.',
    'errorCode.workspace.alreadyArchived': 'Die Arbeitsgruppe ist bereits archiviert.',
    'errorCode.workspace.notArchived': 'Die Arbeitsgruppe ist nicht archiviert.',
    'errorCode.version.required': 'Die Fassung fehlt. Bitte laden Sie die Seite neu.',
    'errorCode.csrf.crossSite': 'Die Anfrage wurde aus Sicherheitsgründen abgelehnt. Bitte laden Sie die Seite neu.',
    'errorCode.forbidden': 'Dafür fehlt Ihnen die Berechtigung.',
    'errorCode.rateLimited': 'Zu viele Anfragen. Bitte warten Sie einen Moment.',
    'detail.readOnlyArchived': 'Archivierte Arbeitsgruppen sind schreibgeschützt. Stellen Sie die Arbeitsgruppe wieder her, um sie zu bearbeiten.',
    'detail.members.forbidden': 'Die Mitgliederliste sehen nur Mitglieder dieser Arbeitsgruppe.',
    'detail.presence.membersOnly': 'Wer gerade hier ist, sehen nur Mitglieder dieser Arbeitsgruppe.',
  },
  en: {
    'app.name': 'Roundtable',
    'app.tagline': 'Participation in social planning',
    'app.skip': 'Skip to content',
    'app.nav': 'Main navigation',
    'app.footer': 'Roundtable – the district’s integrated social planning',
    'app.loading': 'Loading…',
    'app.notFound.title': 'Page not found',
    'app.notFound.body': 'This address does not exist.',
    'app.backToDirectory': 'Back to the working groups',
    'app.retry': 'Try again',
    'app.pageTitle': '{title} – Roundtable',

    'lang.switch': 'Deutsch',
    'lang.switchLabel': 'Auf Deutsch umschalten',
    'lang.switchCode': 'de',

    'conn.label': 'Live connection',
    'conn.idle': 'Not connected',
    'conn.connecting': 'Connecting…',
    'conn.open': 'Connected',
    'conn.reconnecting': 'Reconnecting…',
    'conn.closed': 'Not connected',
    'conn.lost': 'The live connection was interrupted. Reconnecting.',
    'conn.restored': 'The live connection is back.',

    'nav.directory': 'Working groups',
    'nav.new': 'New working group',
    'nav.signOut': 'Sign out',
    'nav.signedInAs': 'Signed in as {name}',
    'nav.admin': 'Administration',

    'signin.title': 'Sign in',
    'signin.intro': 'Sign in with your work email address.',
    'signin.email': 'Email address',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.submitting': 'Signing in…',
    'signin.error.title': 'Sign-in failed',
    'signin.error.invalid': 'The email address or password is not correct.',
    'signin.error.rateLimited': 'Too many sign-in attempts. Please wait a moment and try again.',
    'signin.error.missing': 'Please enter your email address and password.',
    'signin.expired': 'Your session has expired. Please sign in again.',
    'signin.signedOut': 'You have signed out.',

    'dir.title': 'Working groups',
    'dir.intro': 'Focus groups, task forces and planning teams of integrated social planning.',
    'dir.filters': 'Filters',
    'dir.filter.kind': 'Kind',
    'dir.filter.kind.all': 'All kinds',
    'dir.filter.field': 'Policy field',
    'dir.filter.field.all': 'All policy fields',
    'dir.filter.archived': 'Show archived',
    'dir.count': '{count} working groups',
    'dir.count.one': '1 working group',
    'dir.count.zero': 'No working groups',
    'dir.empty': 'No working group matches the filters.',
    'dir.archived': 'Archived',
    'dir.endsOn': 'Ends on {date}',
    'dir.fields': 'Policy fields',
    'dir.noFields': 'No policy field',
    'dir.create': 'Create a working group',
    'dir.loadError': 'The working groups could not be loaded.',
    'dir.prioritised': 'prioritised {year}',

    'kind.focusGroup': 'Focus group',
    'kind.taskForce': 'Task force',
    'kind.planningTeam': 'Planning team',

    'role.coordinator': 'Coordinator',
    'role.member': 'Member',
    'role.observer': 'Observer',

    'create.title': 'New working group',
    'create.intro': 'Fields marked * are required.',
    'create.kind': 'Kind',
    'create.name': 'Name',
    'create.name.hint': 'For example “Community psychiatry working group”.',
    'create.description': 'Description',
    'create.description.hint': 'What is it about, who takes part?',
    'create.fields': 'Policy fields',
    'create.fields.hint': 'You can choose several policy fields.',
    'create.endsOn': 'Ends on',
    'create.endsOn.hint': 'For task forces: the end date. Leave empty otherwise.',
    'create.submit': 'Create working group',
    'create.submitting': 'Creating…',
    'create.cancel': 'Cancel',
    'create.errors.title': 'Please check your entries',
    'create.errors.count': '{count} entries need attention:',
    'create.errors.one': 'One entry needs attention:',
    'create.forbidden': 'Only administrators can create working groups.',
    'create.created': 'Working group “{name}” was created.',
    'create.required': 'required',

    'detail.loadError': 'The working group could not be loaded.',
    'detail.notFound': 'This working group does not exist (any more).',
    'detail.forbidden': 'You do not have access to this working group.',
    'detail.kind': 'Kind',
    'detail.status': 'Status',
    'detail.status.active': 'Active',
    'detail.status.archived': 'Archived',
    'detail.fields': 'Policy fields',
    'detail.endsOn': 'Ends on',
    'detail.noEnd': 'No end date',
    'detail.version': 'Version',
    'detail.updatedAt': 'Last changed',
    'detail.description': 'Description',
    'detail.noDescription': 'No description.',
    'detail.facts': 'Key facts',
    'detail.edit': 'Edit',
    'detail.edit.title': 'Edit name and description',
    'detail.save': 'Save changes',
    'detail.saving': 'Saving…',
    'detail.saved': 'Changes saved.',
    'detail.cancel': 'Cancel',
    'detail.archive': 'Archive',
    'detail.restore': 'Restore',
    'detail.archived.notice': 'This working group is archived.',
    'detail.members': 'Members',
    'detail.members.empty': 'No members yet.',
    'detail.members.error': 'The member list could not be loaded.',
    'detail.members.name': 'Name',
    'detail.members.role': 'Role',
    'detail.members.org': 'Organisation',
    'detail.presence': 'Here now',
    'detail.presence.alone': 'Nobody else is looking at this working group right now.',
    'detail.presence.others': 'Also here: {names}',
    'detail.conflict.title': 'Someone else has changed this working group in the meantime',
    'detail.conflict.body': 'Your change was not saved. This is the current version:',
    'detail.conflict.yours': 'Your entry',
    'detail.conflict.current': 'Current version',
    'detail.conflict.reload': 'Use the current version',
    'detail.conflict.reloaded': 'The current version has been loaded. You can make your change again.',
    'detail.changedElsewhere': 'Someone else has just changed this working group.',

    'live.created': 'Working group “{name}” was created.',
    'live.updated': 'Working group “{name}” was changed.',
    'live.archived': 'Working group “{name}” was archived.',
    'live.restored': 'Working group “{name}” was restored.',
    'live.policyField': 'Policy field “{name}” was changed.',
    'live.memberAdded': '{name} is now a member.',
    'live.memberUpdated': 'The role of {name} was changed.',
    'live.memberRemoved': '{name} is no longer a member.',

    'error.generic': 'Something went wrong: {message}',
    'error.network': 'The server cannot be reached. Please check your connection.',
    'error.forbidden': 'You are not allowed to do that.',
    'field.error': 'Error: {message}',

    'fieldError.required': 'Please fill in this field.',
    'fieldError.name.required': 'Please enter a name.',
    'fieldError.endsOn.required': 'A task force needs an end date.',
    'fieldError.kind.required': 'Please choose a kind.',
    'fieldError.tooShort': 'This is too short.',
    'fieldError.tooShort.n': 'Please enter at least {n} characters.',
    'fieldError.tooLong': 'This is too long.',
    'fieldError.tooLong.n': 'At most {n} characters are possible.',
    'fieldError.tooMany': 'Too many entries selected.',
    'fieldError.tooMany.n': 'At most {n} entries are possible.',
    'fieldError.invalidCharacters': 'This contains control characters that are not allowed.',
    'fieldError.unknown': 'This choice does not exist (any more).',
    'fieldError.invalidDate': 'Please enter a valid date.',
    'fieldError.notAllowed': 'This is not allowed here.',
    'fieldError.endsOn.notAllowed': 'Only task forces have an end date. Please leave this empty.',
    'fieldError.endsOn.inPast': 'The end date has already passed.',
    'fieldError.invalid': 'This is not valid.',
    'fieldError.kind.invalid': 'Please choose focus group, task force or planning team.',
    'fieldError.invalidType': 'This has the wrong format.',
    'fieldError.outOfRange': 'This value is out of range.',

    'errorCode.workspace.archived': 'The working group is archived and cannot be edited. Restore it first.',
    'errorCode.workspace.alreadyArchived': 'The working group is already archived.',
    'errorCode.workspace.notArchived': 'The working group is not archived.',
    'errorCode.version.required': 'The version is missing. Please reload the page.',
    'errorCode.csrf.crossSite': 'The request was refused for security reasons. Please reload the page.',
    'errorCode.forbidden': 'You are not allowed to do that.',
    'errorCode.rateLimited': 'Too many requests. Please wait a moment.',
    'detail.readOnlyArchived': 'Archived working groups are read-only. Restore the working group to edit it.',
    'detail.members.forbidden': 'Only members of this working group can see its member list.',
    'detail.presence.membersOnly': 'Only members of this working group can see who is here.',
  },
};

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

function initialLanguage() {
  const stored = storage()?.getItem(STORAGE_KEY);
  if (LANGUAGES.includes(stored)) return stored;
  return 'de';
}

let current = initialLanguage();
const listeners = new Set();

export function getLang() {
  return current;
}

/** Fills {name} placeholders. */
export function format(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (m, key) => (key in params ? String(params[key]) : m));
}

/** Looks a key up in `lang` (default: current), falling back to German, then the key. */
export function translate(lang, key, params) {
  const table = messages[lang] ?? messages.de;
  const text = table[key] ?? messages.de[key] ?? key;
  return format(text, params);
}

/** Whether a message exists for the key (in the language or the German fallback). */
export function hasMessage(key, lang = current) {
  return key in (messages[lang] ?? messages.de) || key in messages.de;
}

/**
 * A field error from the server ({field, code, message}) in the UI's language. Looks up
 * fieldError.<field>.<code>, then fieldError.<code>; a number in the server's message
 * (a length limit) fills {n}. Unknown codes keep the server's message.
 */
export function localizeFieldError(issue, lang = current) {
  const field = String(issue.field ?? '').split(/[.[]/)[0];
  const code = String(issue.code ?? '');
  const number = /\d+/.exec(String(issue.message ?? ''));
  const candidates = [];
  for (const base of [`fieldError.${field}.${code}`, `fieldError.${code}`]) {
    if (number) candidates.push([`${base}.n`, { n: number[0] }]);
    candidates.push([base, {}]);
  }
  for (const [key, params] of candidates) {
    if (code && hasMessage(key, lang)) return translate(lang, key, params);
  }
  return String(issue.message || code);
}

export function t(key, params) {
  return translate(current, key, params);
}

/** Applies the language to <html lang>, if there is a document. */
export function applyDocumentLang(lang = current) {
  if (globalThis.document && globalThis.document.documentElement) {
    globalThis.document.documentElement.lang = lang;
  }
}

export function setLang(lang) {
  if (!LANGUAGES.includes(lang) || lang === current) return;
  current = lang;
  try {
    storage()?.setItem(STORAGE_KEY, lang);
  } catch {
    /* private mode */
  }
  applyDocumentLang(lang);
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Formats an ISO date (YYYY-MM-DD) for display, e.g. 31.07.2025 / 31 Jul 2025. */
export function formatDate(isoDate, lang = current) {
  if (!isoDate) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : new Date(isoDate);
  if (Number.isNaN(date.getTime())) return String(isoDate);
  const opts = m ? { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' } : { day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'de-DE', opts).format(date);
}

/** Compares strings in the language's collation. */
export function compareText(a, b, lang = current) {
  return String(a).localeCompare(String(b), lang, { sensitivity: 'base', numeric: true });
}
