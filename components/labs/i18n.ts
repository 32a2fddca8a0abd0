// Labels of the labs in the guide's two languages, registered the way the widget toolkit registers its
// own (components/widgets/runtime/i18n.ts): an island entry imports only its page's language
// (ScenarioLabEn.tsx, ScenarioLabZh.tsx…), so a page carries one language's strings.

import { labelRegistry } from '../widgets/runtime/i18n.ts';
import type { LAB_EN } from './labels-en.ts';
import type { LOAD_EN } from './load-labels-en.ts';

export type LabLabels = typeof LAB_EN;

const labRegistry = labelRegistry<LabLabels>('lab labels (./labels-en.ts, ./labels-zh.ts)');
export const registerLabLabels = labRegistry.register;
export const labLabels = labRegistry.get;

// The load lab's own strings, registered by its entries (LoadLabEn.tsx, LoadLabZh.tsx).
export type LoadLabels = typeof LOAD_EN;

const loadRegistry = labelRegistry<LoadLabels>('load lab labels (./load-labels-en.ts, ./load-labels-zh.ts)');
export const registerLoadLabels = loadRegistry.register;
export const loadLabels = loadRegistry.get;
