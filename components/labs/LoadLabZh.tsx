// The load lab's island entry for Chinese pages: registers only the Chinese labels.
import '../widgets/runtime/labels-zh.ts';
import './labels-zh.ts';
import './load-labels-zh.ts';

export { LoadLab as default } from './LoadLab.tsx';
