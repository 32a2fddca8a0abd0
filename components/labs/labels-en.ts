// English labels of the labs; importing this module registers them (see ./i18n.ts).
import { registerLabLabels } from './i18n.ts';

export const LAB_EN = {
  bytes: 'What the application read',
  bytesIntro:
    'Each stream a socket received, byte for byte; bytes that came from an earlier connection are marked.',
  bytesEmpty: 'No data has reached an application yet.',
  stream: (host: string, fd: string, conn: string) => `${host}, socket ${fd} (${conn})`,
  received: 'Received',
  readByApp: 'Read by recv()',
  sentByPeer: 'Sent by the peer in this connection',
  old: (seg: number, sent: string) => `from the old connection: segment #${seg}, sent at ${sent}`,
  fresh: (seg: number) => `segment #${seg}`,
  corrupted: 'Corrupted: bytes of an earlier connection were accepted into this one.',
  clean: 'Clean: every byte belongs to this connection.',
  counters: 'Counters over time',
  countersTitle: 'TIME_WAIT entries, client ports in use and failed connect() calls',
  tw: (host: string) => `TIME_WAIT on the ${host}`,
  ports: (host: string) => `ports in use on the ${host}`,
  fails: 'failed connect() calls (total)',
  count: 'count',
  calls: 'Socket calls',
  callsEmpty: 'No socket call yet.',
  blocked: 'still waiting',
  rate: 'Requests per second (one connection each)',
  range: 'Client ports (ip_local_port_range)',
  pool: 'Connections',
  perRequest: 'a new connection per request',
  pooled: (n: number) => `a pool of ${n} persistent connections`,
  ports1: (n: number) => `${n} ports`,
  perSecond: (n: number) => `${n}/s`,
  running: 'Running the simulation…',
  cancelled: 'Cancelled.',
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
  wall: (ms: number) => `simulated in ${ms} ms`,
};

registerLabLabels('en', LAB_EN);
