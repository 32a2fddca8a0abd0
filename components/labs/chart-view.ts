// What a lab needs to draw its chart in the browser: the chart component and the counters series of a
// scripted run. Loaded on demand by ./lazy-chart.tsx, so a page carries it only once a reader changes
// what a chart shows.
export { Chart } from '../widgets/Chart.tsx';
export { countersOf } from './counter-series.ts';
