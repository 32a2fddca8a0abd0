// Both languages, for widgets that are not on a budget-tight chapter page (the playground) and tests.
import './labels-en.ts';
import './labels-zh.ts';

export { labels, normalizeLang } from './i18n.ts';
