// The named scenario files: each parses, reads in both languages, pins its behaviour down with
// expectations, and (with the runtime) the simulator meets them.
import '../../src/sim/load.ts';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/sim/scenario.ts';
import { RUNTIME_GAPS } from './scenario-gaps.ts';

const ROOT = join(import.meta.dirname, '../..');
const DIR = join(ROOT, 'src/sim/scenarios');
const HAS_RUNTIME = existsSync(join(ROOT, 'src/sim/simulation.ts'));

/** The behaviours issue 3 names, one file each (the chapters load them by these names). */
const NAMED = [
  'normal-close-client-first',
  'normal-close-server-first',
  'simultaneous-close',
  'fin-ack-in-fin-wait-1',
  'lost-final-ack',
  'lost-final-ack-no-timewait',
  'incarnation-corruption',
  'incarnation-protected-by-timewait',
  'incarnation-protected-by-paws',
  'rst-in-timewait-rfc1337-0',
  'rst-in-timewait-rfc1337-1',
  'syn-over-server-timewait-accepted',
  'port-exhaustion',
  'port-exhaustion-second-dst-port',
  'port-exhaustion-second-dst-ip',
  'port-exhaustion-server-closes-first',
  'tw-reuse-on',
  'tw-reuse-no-timestamps',
  'tw-reuse-before-delay',
  'tw-reuse-2-loopback',
  'tw-reuse-2-non-loopback',
  'tw-recycle-nat',
  'max-tw-buckets-overflow',
  'reuseaddr-listen-holder',
  'reuseaddr-timewait-holder',
  'reuseaddr-established-holder',
  'reuseport',
  'linger-zero',
  'close-with-unread-data',
  'orphan-fin-wait-2-timeout',
  'half-close-no-timer',
  'crash-reboot-no-quiet-time',
  'crash-reboot-quiet-time',
  'load-10k-per-second',
];

const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string) => parseScenario(JSON.parse(readFileSync(join(DIR, f), 'utf8')), f);

describe('scenario files', () => {
  it('include every named scenario', () => {
    const names = files.map((f) => f.replace(/\.json$/, ''));
    expect(NAMED.filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(files)('%s parses, is bilingual and has expectations', (f) => {
    const s = load(f);
    expect(s.name).toBe(f.replace(/\.json$/, ''));
    expect(s.title?.en).toBeTruthy();
    expect(s.title?.['zh-cn']).toMatch(/[\u4e00-\u9fff]/);
    expect(s.description?.en).toBeTruthy();
    expect(s.description?.['zh-cn']).toMatch(/[\u4e00-\u9fff]/);
    expect(s.expect.length).toBeGreaterThan(0);
  });
});

describe.skipIf(!HAS_RUNTIME)('scenario files on the simulator', async () => {
  const { observe } = await import('../../src/sim/observation.ts');
  const { checkExpectations } = await import('../../src/sim/expect.ts');
  const run = (f: string) => {
    const s = load(f);
    const { observation } = observe(s, { events: false });
    expect(checkExpectations(s, observation).failures).toEqual([]);
  };
  const gap = (f: string) => RUNTIME_GAPS[f.replace(/\.json$/, '')];
  it.each(files.filter((f) => !gap(f)))('%s meets its expectations', run, 300_000);
  for (const f of files.filter((name) => gap(name))) {
    it.fails(`${f} does not meet its expectations yet: ${gap(f)}`, () => run(f), 300_000);
  }
  // An expectation must describe the behaviour, not one lucky run: other seeds (other ISNs, timestamp
  // offsets, port choices) must meet it too. tw-recycle-nat depends on its seed by design (whose
  // timestamp clock is behind), and the load run is too long to repeat.
  const SEED_BOUND = new Set(['tw-recycle-nat.json', 'load-10k-per-second.json']);
  it.each(files.filter((f) => !gap(f) && !SEED_BOUND.has(f)))(
    '%s meets its expectations with seeds 2–4',
    (f) => {
      const s = load(f);
      for (const seed of [2, 3, 4]) {
        const { observation } = observe(s, { seed, events: false });
        expect(checkExpectations(s, observation).failures, `seed ${seed}`).toEqual([]);
      }
    },
  );
  it('gives the same trace digest for the same scenario and seed', async () => {
    const { traceDigest } = await import('../../src/sim/observe.ts');
    const s = load('lost-final-ack.json');
    const a = traceDigest(observe(s).events);
    expect(traceDigest(observe(s).events)).toBe(a);
    expect(a).toMatch(/^[1-9]\d*:[0-9a-f]{16}$/);
  });
  it('shows the lost-final-ack story in the views', async () => {
    const { sequenceData, tcpdumpLines } = await import('../../src/sim/observe.ts');
    const { ssTable } = await import('../../src/sim/ss-table.ts');
    const s = load('lost-final-ack.json');
    const { events, observation } = observe(s);
    const d = sequenceData(events);
    const client = d.lanes.find((l) => l.host === 'client')?.id;
    // The TIME_WAIT timer is set once on entry and again for each retransmitted FIN.
    expect(
      d.timers.filter((t) => t.lane === client && t.timer === 'time-wait' && t.action === 'set'),
    ).toHaveLength(3);
    expect(d.timeWait.filter((span) => span.lane === client)).toHaveLength(1);
    expect(d.arrows.filter((a) => a.dropped === 'fault').map((a) => a.flags)).toEqual(['A', 'A']);
    expect(tcpdumpLines(events).filter((l) => l.endsWith('(dropped: fault)'))).toHaveLength(2);
    const rows = observation.snapshots.find(
      (snap) => snap.host === 'client' && snap.at === 61_400_000,
    )?.sockets;
    expect(ssTable(rows ?? [])).toMatch(/TIME-WAIT .* timer:\(timewait,\d+ms,0\)/);
  });

  it('lists only real files as runtime gaps', () => {
    expect(Object.keys(RUNTIME_GAPS).filter((n) => !files.includes(`${n}.json`))).toEqual([]);
  });
});
