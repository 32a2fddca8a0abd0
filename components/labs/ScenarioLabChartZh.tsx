// The scenario lab's island entry for labs that draw counters over time (Chinese pages): registers the
// labels and W2's Chart, which the labs without counters leave out of their pages.
import '../widgets/runtime/labels-zh.ts';
import './labels-zh.ts';
import { Chart } from '../widgets/Chart.tsx';
import { countersOf } from './counter-series.ts';
import { registerCounterView } from './i18n.ts';

registerCounterView(Chart, countersOf);

export { ScenarioLab as default } from './ScenarioLab.tsx';
