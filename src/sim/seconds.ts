// Seconds as tcpdump prints relative timestamps. Its own module: ./duration.ts holds the scenario
// parser's duration syntax, which only the playground and the CLI need, and a module's code is bundled
// once with every export any page uses.

import type { Micros } from './types.ts';

/** Seconds with six decimals, as tcpdump's relative timestamps print them ('0.010000'). */
export function formatSeconds(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}
