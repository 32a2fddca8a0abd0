// English labels of the labs; importing this module registers them (see ./i18n.ts).
import { registerLabLabels } from './i18n.ts';

export const LAB_EN = {
  bytes: 'What the application read',
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
};

registerLabLabels('en', LAB_EN);
