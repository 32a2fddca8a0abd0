// English labels for the widget toolkit. Importing this module registers them (see ./i18n.ts); an
// island entry imports only its page's language, so a page does not carry the other one.
import { registerLabels } from './i18n.ts';

const HOST: Record<string, string> = { client: 'client', server: 'server' };

export const EN = {
  play: 'Play',
  pause: 'Pause',
  stepBack: 'Step back',
  stepForward: 'Step forward',
  toStart: 'Go to start',
  toEnd: 'Go to end',
  speed: 'Speed',
  instant: 'Instant',
  time: 'Time',
  shortcuts: 'Keys: Space or K play/pause · J or , step back · L or . step forward · Home/End',
  timeline: 'Timeline',
  sequence: 'Sequence diagram',
  stateMachine: 'State machine',
  ssCaption: (host: string) => `${host}: ss -tan -o`,
  ssEmpty: 'no TCP sockets',
  tcpdump: 'tcpdump -n (seconds since the start)',
  tcpdumpEmpty: 'nothing on the wire yet',
  transcript: 'What happened',
  transcriptEmpty: 'Nothing has happened yet.',
  embed: 'Copy embed code',
  embedHandled: 'Embed code ready.',
  linkCopied: 'Embedding is not available here yet; a link to this exact state was copied instead.',
  linkShown: 'Embedding is not available here yet; copy this link to the exact state:',
  badState: (why: string) =>
    `The state in this link could not be used (${why}); showing the default instead.`,
  truncated: 'The run was cut short: it produced too many events to show here.',
  dropped: 'lost',
  duplicate: 'duplicate',
  inFlight: 'in flight',
  timeWaitLeft: (left: string) => `TIME_WAIT, ${left} left`,
  timerRestarted: 'timer restarted',
  compressed: (span: string) => `${span} compressed`,
  segment: 'segment',
  select: 'Select',
  selected: 'selected',
  dropSelected: (id: number) => `Drop segment #${id}`,
  dropHint:
    'Select a segment in the diagram (click it, or Tab to the diagram, move with ↑/↓ and press Enter), then drop it or hold it back; Delete drops the focused one.',
  resetDrops: 'Undo drops and delays',
  drops: (ids: string) => `Dropped on purpose: ${ids}`,
  noDrops: 'No segment dropped or held back on purpose.',
  delaySelected: (id: number) => `Hold back segment #${id}`,
  delayBy: 'by',
  delays: (list: string) => `Held back on purpose: ${list}`,
  delayItem: (id: number, by: string) => `#${id} by ${by}`,
  delayedStatus: (id: number, by: string) =>
    `Segment #${id} held back ${by} on the wire; the run was replayed from the start with that delay.`,
  heldBack: (by: string) => `held back ${by}`,
  closeExplorer: 'Close explorer',
  status: (t: string, parts: string) => `At ${t}: ${parts}.`,
  droppedStatus: (id: number) =>
    `Segment #${id} dropped; the run was replayed from the start with that loss.`,
  undoneStatus: 'Drops and delays undone; the run was replayed without them.',
  whoCloses: 'Who closes first',
  closerClient: 'Client closes first',
  closerServer: 'Server closes first',
  closerBoth: 'Both at once (simultaneous close)',
  now: 'now',
  current: (who: string, state: string) => `${who}: ${state}`,
  lastEdge: (from: string, to: string, cause: string) => `last: ${from} → ${to} (${cause})`,
  sent: 'sent',
  arrived: 'arrived',
  delay: 'delay',
  host: HOST,
  hostCap: { client: 'Client', server: 'Server' } as Record<string, string>,
  subject: (host: string, capital = false) => {
    const known = HOST[host];
    if (known === undefined) return host;
    return capital ? `The ${known}` : `the ${known}`;
  },
  cause: {
    'close()': 'the application called close()',
    'connect()': 'the application called connect()',
    'listen()': 'the application called listen()',
    'shutdown()': 'the application called shutdown()',
    'rcv FIN': 'it received a FIN',
    'rcv SYN': 'it received a SYN',
    'rcv SYN-ACK': 'it received the SYN-ACK',
    'rcv ACK': 'it received the ACK',
    'rcv ACK of FIN': 'its FIN was acknowledged',
    'rcv RST': 'it received a RST',
    timeout: 'its timer expired',
  } as Record<string, string>,
  say: {
    send: (who: string, name: string, id: number, lost: boolean) =>
      `${who} sends ${name === 'ACK' ? 'an' : 'a'} ${name} (#${id})${lost ? ', and it is lost' : ''}.`,
    resend: (who: string, name: string, id: number, gap: string, lost: boolean) =>
      `${who} resends its ${name} (#${id}) ${gap} after the previous copy${lost ? ', and it is lost' : ''}.`,
    discarded: (who: string, name: string, id: number, reason: string) =>
      `${who}'s ${name} (#${id}) is discarded (${reason}).`,
    duplicated: (who: string, name: string, id: number, copy: number) =>
      `The network duplicates ${who}'s ${name} (#${id}); the copy is #${copy}.`,
    move: (who: string, from: string, to: string, cause: string) => `${who} moves ${from} → ${to}: ${cause}.`,
    twExpires: (who: string, since: string | undefined) =>
      `${who}'s TIME_WAIT timer expires${since === undefined ? '' : ` (${since} after it was last started)`}: the connection is gone (TIME_WAIT → CLOSED).`,
    twStarts: (who: string, len: string) => `${who} starts its ${len} TIME_WAIT timer.`,
    twRestarts: (who: string, len: string) =>
      `${who}, still in TIME_WAIT, answers the retransmitted FIN and restarts its ${len} timer.`,
  },
  problem: {
    length: 'too long',
    encoding: 'not valid base64url',
    json: 'not valid JSON',
    shape: 'not the expected shape',
    field: (field: string, expected: string) => `${field} must be ${expected}`,
  },
};

registerLabels('en', EN);
