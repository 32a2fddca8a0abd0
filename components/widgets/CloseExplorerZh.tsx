// The close explorer's island entry for Chinese pages: registers only the Chinese labels (see
// runtime/i18n.ts). CloseExplorer.astro picks the entry.
import './runtime/labels-zh.ts';

export { CloseExplorer as default } from './CloseExplorer.tsx';
