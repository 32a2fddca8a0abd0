// The scenario lab's island entry for English pages: registers only the English labels.
import '../widgets/runtime/labels-en.ts';
import './labels-en.ts';

export { ScenarioLab as default } from './ScenarioLab.tsx';
