// The close explorer's island entry for English pages: registers only the English labels, so the page's
// JavaScript does not carry the Chinese ones (see runtime/i18n.ts). CloseExplorer.astro picks the entry.
import './runtime/labels-en.ts';

export { CloseExplorer as default } from './CloseExplorer.tsx';
