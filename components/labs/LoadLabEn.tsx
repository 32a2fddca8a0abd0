// The load lab's island entry for English pages: registers only the English labels.
import '../widgets/runtime/labels-en.ts';
import './labels-en.ts';
import './load-labels-en.ts';

export { LoadLab as default } from './LoadLab.tsx';
