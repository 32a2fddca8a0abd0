// `npm run bench`: the standard short-connection workload of the Speed section.
// A client opens N connections at rate R over a 1 Gbps link with 5 ms one-way delay; each sends
// 100 bytes and gets 100 bytes back; the client closes first; TIME_WAIT 60 s; every segment simulated.
// Each configuration runs in its own process so that peak RSS is its own.
//
//   node bench/sim.ts [--max N]        the table (N up to --max, default 1,000,000)
//   node bench/sim.ts --one N R mode   one run, JSON on stdout (used by the table)

import '../src/sim/load.ts';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createSimulation } from '../src/sim/simulation.ts';
import type { Scenario } from '../src/sim/types.ts';

type Mode = 'ample' | 'exhaust';

function scenario(n: number, rate: number, mode: Mode): Scenario {
  const duration = Math.round((n / rate) * 1e6);
  // 'ample': 64 server ports × 28,232 client ports = 1.8M 4-tuples, more than 60 s × 20,000/s, and a
  // TIME_WAIT table big enough for all of them. 'exhaust': one server port, default sysctls otherwise.
  const ports = mode === 'ample' ? Array.from({ length: 64 }, (_, i) => 8000 + i) : [80];
  return {
    version: 1,
    name: `bench-${n}-${rate}-${mode}`,
    profile: 'linux',
    seed: 1,
    until: duration + 61_000_000,
    hosts: {
      client: {
        ip: '10.0.0.1',
        extraIps: [],
        sysctl: mode === 'ample' ? { 'net.ipv4.tcp_max_tw_buckets': 4_000_000 } : {},
        isn: 'rfc6528',
      },
      server: { ip: '10.0.0.2', extraIps: [], sysctl: {}, isn: 'rfc6528' },
    },
    defaultLink: { delay: 5000, jitter: 0, loss: 0, duplicate: 0, reorder: 0, bandwidth: 1e9, hops: 0 },
    links: [],
    nat: [],
    script: [],
    faults: [],
    load: {
      client: 'client',
      server: 'server',
      dstIps: ['10.0.0.2'],
      dstPorts: ports,
      srcIps: [],
      rate,
      start: 0,
      duration,
      requestBytes: 100,
      responseBytes: 100,
      closer: 'client',
      requestsPerConnection: 1,
      pool: 0,
      sampleEvery: 1_000_000,
    },
    snapshots: [],
    expect: [],
  };
}

interface Result {
  n: number;
  rate: number;
  mode: Mode;
  wallMs: number;
  /** CPU time of the process (all threads, so it includes the garbage collector's helpers). */
  cpuMs: number;
  events: number;
  segments: number;
  connections: number;
  failures: number;
  peakTimeWait: number;
  rssMB: number;
}

function one(n: number, rate: number, mode: Mode): Result {
  const s = scenario(n, rate, mode);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sim = createSimulation(s);
  sim.runUntil();
  const wallMs = performance.now() - t0;
  const c1 = process.cpuUsage(c0);
  const cpuMs = (c1.user + c1.system) / 1000;
  const st = sim.stats;
  const client = sim.samples.filter((x) => x.host === 'client');
  return {
    n,
    rate,
    mode,
    wallMs,
    cpuMs,
    events: st.events,
    segments: st.segments,
    connections: st.connections,
    failures: client.at(-1)?.connectFailures ?? 0,
    peakTimeWait: Math.max(0, ...client.map((x) => x.timeWait)),
    rssMB: process.resourceUsage().maxRSS / 1024,
  };
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

const args = process.argv.slice(2);
if (args[0] === '--one') {
  const r = one(Number(args[1]), Number(args[2]), (args[3] ?? 'ample') as Mode);
  process.stdout.write(`${JSON.stringify(r)}\n`);
} else {
  const maxIdx = args.indexOf('--max');
  const max = maxIdx >= 0 ? Number(args[maxIdx + 1]) : 1_000_000;
  const self = fileURLToPath(import.meta.url);
  const runs: [number, number, Mode][] = [];
  for (const rate of [1000, 20000])
    for (const n of [1000, 10000, 100000, 1000000]) if (n <= max) runs.push([n, rate, 'ample']);
  for (const n of [10000, 100000]) if (n <= max) runs.push([n, 1000, 'exhaust']);
  console.log(
    `node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${Math.round(os.totalmem() / 2 ** 30)} GB`,
  );
  console.log(
    '| N | rate/s | ports | wall time | CPU time | events | events/s | segments | failed connects | peak TIME_WAIT | peak RSS |',
  );
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [n, rate, mode] of runs) {
    // A larger young generation lets the many short-lived sockets die there instead of being promoted
    // (measured: about twice as fast at 200k connections). A Node flag, not part of the simulator.
    const p = spawnSync(
      process.execPath,
      ['--max-semi-space-size=128', self, '--one', String(n), String(rate), mode],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      },
    );
    if (p.status !== 0) {
      console.log(
        `| ${fmt(n)} | ${fmt(rate)} | ${mode} | failed: ${p.stderr.split('\n').slice(0, 3).join(' ')} |`,
      );
      continue;
    }
    const r = JSON.parse(p.stdout) as Result;
    console.log(
      `| ${fmt(r.n)} | ${fmt(r.rate)} | ${r.mode === 'ample' ? '64 dst ports' : '1 dst port (exhaustion)'} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${fmt(r.events)} | ${fmt(Math.round(r.events / (r.wallMs / 1000)))} | ${fmt(r.segments)} | ${fmt(r.failures)} | ${fmt(r.peakTimeWait)} | ${Math.round(r.rssMB)} MB |`,
    );
  }
}
