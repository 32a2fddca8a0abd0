// English labels of the load lab (LoadLab.tsx); importing this module registers them (see ./i18n.ts).
// Apart from ./labels-en.ts so the pages of scripted labs do not carry them.
import { registerLoadLabels } from './i18n.ts';

export const LOAD_EN = {
  rate: 'Requests per second (one connection each)',
  range: 'Client ports (ip_local_port_range)',
  pool: 'Connections',
  perRequest: 'a new connection per request',
  pooled: (n: number) => `a pool of ${n} persistent connections`,
  ports1: (n: number) => `${n} ports`,
  perSecond: (n: number) => `${n}/s`,
  running: 'Running the simulation…',
  failed: (why: string) => `The simulation failed: ${why}`,
  noWorker: 'This browser cannot run the simulation in the background; showing the prepared run.',
  little: 'Little’s law: rate × 60 s, capped by the ports',
  summary: (connects: number, failures: number) =>
    failures === 0
      ? `${connects} connect() calls, all succeeded.`
      : `${connects} connect() calls, ${failures} failed with EADDRNOTAVAIL (no free 4-tuple).`,
  firstFailure: (at: string) => `The first failure came at ${at}.`,
  prediction: (rate: number, tw: string, expected: number, range: number) =>
    `Prediction: ${rate}/s × ${tw} = ${expected} TIME_WAIT entries${expected > range ? `, more than the ${range} ports: connect() must fail` : `, within the ${range} ports`}.`,
  log: 'connect() log (per second)',
  logLine: (at: string, n: number, failed: number) =>
    failed > 0
      ? `${at}  ${n} × connect(): ${failed} × EADDRNOTAVAIL`
      : `${at}  ${n} × connect(): all succeeded`,
  logGap: (n: number) => `… ${n} seconds like the one above …`,
};

registerLoadLabels('en', LOAD_EN);
