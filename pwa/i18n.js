/**
 * The page's translations: `_()` and `ngettext()` over the catalog the server serves as
 * JSON (`/api/i18n/{lang}`), and dates and times formatted for Europe/Berlin.
 *
 * Every visible string in a module goes through `_()`, with the English source text as
 * its msgid; a message without a translation (or a catalog that cannot be loaded) shows
 * the source text. Plural forms are chosen by CLDR category (Intl.PluralRules), mapped to
 * the catalog's gettext form index by the server, so no Plural-Forms expression is
 * evaluated here.
 */

export const lang = document.documentElement.lang || "de";
export const TIME_ZONE = "Europe/Berlin";

async function loadCatalog() {
  try {
    const response = await fetch(`/api/i18n/${encodeURIComponent(lang)}`);
    if (response.ok) return await response.json();
  } catch {
    // Offline without a cached catalog: the English source texts are still readable.
  }
  return { lang, dir: document.documentElement.dir || "ltr", plural: {}, messages: {} };
}

const catalog = await loadCatalog();
const pluralRules = new Intl.PluralRules(lang);

function fill(text, params) {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in params ? String(params[name]) : match));
}

/** The translation of `msgid`, with `{name}` placeholders filled from `params`. */
export function _(msgid, params) {
  const found = catalog.messages[msgid];
  const text = Array.isArray(found) ? found[0] : found;
  return fill(text || msgid, params);
}

/** The plural form of `singular`/`plural` for `n`; `{n}` is filled in as well. */
export function ngettext(singular, plural, n, params) {
  const forms = catalog.messages[singular];
  let text = n === 1 ? singular : plural;
  if (Array.isArray(forms)) {
    const index = catalog.plural[pluralRules.select(n)] ?? 0;
    text = forms[Math.min(index, forms.length - 1)] || text;
  }
  return fill(text, { n, ...params });
}

// Latin digits everywhere, so ticket numbers and times match the call display.
const timeFormat = new Intl.DateTimeFormat(lang, {
  timeZone: TIME_ZONE,
  timeStyle: "short",
  numberingSystem: "latn",
});
const dateFormat = new Intl.DateTimeFormat(lang, {
  timeZone: TIME_ZONE,
  dateStyle: "full",
  numberingSystem: "latn",
});

/** Wall-clock time in Berlin, e.g. "09:30"; the page labels it with the zone. */
export function formatTime(date) {
  return timeFormat.format(date);
}

/** The date in Berlin, e.g. "Montag, 23. November 2026". */
export function formatDate(date) {
  return dateFormat.format(date);
}

/** An amount of euro cents in the page's language, e.g. "37,00 €". */
export function formatMoney(cents) {
  return new Intl.NumberFormat(lang, {
    style: "currency",
    currency: "EUR",
    numberingSystem: "latn",
  }).format(cents / 100);
}
