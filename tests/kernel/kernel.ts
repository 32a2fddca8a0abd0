// Running a normalized Scenario on the real Linux kernel: tests/kernel/driver.py builds one network
// namespace per host, makes the script's socket calls with real sockets and prints an Observation.
// This module finds out whether the machine can do that (root, `ip netns`, nftables, python3) and
// spawns the driver.

import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CounterSnapshot } from '../../src/sim/expect.ts';
import type { Observation, Scenario } from '../../src/sim/types.ts';

const DRIVER = join(dirname(fileURLToPath(import.meta.url)), 'driver.py');

/** What the driver adds to an Observation about the run itself. */
export interface KernelRunInfo {
  release: string;
  /** Segments each drop, delay or loop fault took off the wire (an nftables counter). */
  faults: { fault: number; dropped: number }[];
  /** What the wire relay did for delay, duplicate and loop faults. */
  relayed: {
    fault: number;
    kind: string;
    captured: number;
    sent: number;
    ttlExpired?: boolean;
    error?: string;
  }[];
  /** How far behind its schedule the driver fell at worst (µs); a busy machine makes this grow. */
  lateBy: number;
  notes: string[];
  /** tcpdump lines from the wire, when asked for. */
  trace?: string[];
}

export type KernelObservation = Observation & { counterSnapshots: CounterSnapshot[]; kernel: KernelRunInfo };

export interface KernelProbe {
  release: string;
  /** Per-namespace sysctl defaults as a fresh namespace has them. */
  defaults: Record<string, string | boolean | null>;
}

export type Availability = { ok: true; probe: KernelProbe } | { ok: false; reason: string };

let cached: Availability | undefined;

/** Whether this machine can run scenarios on its kernel: root, ip netns, nftables, ss, python3. */
export function kernelAvailable(): Availability {
  if (cached) return cached;
  cached = probe();
  return cached;
}

function probe(): Availability {
  if (process.platform !== 'linux')
    return { ok: false, reason: `platform is ${process.platform}, not linux` };
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return { ok: false, reason: 'not root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)' };
  for (const tool of ['ip', 'nft', 'ss', 'python3', 'sysctl']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
    if (r.status !== 0) return { ok: false, reason: `${tool} is not installed` };
  }
  const r = spawnSync('python3', [DRIVER, '--probe'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0)
    return {
      ok: false,
      reason: `cannot create a network namespace: ${(r.stderr || r.error?.message || '').trim()}`,
    };
  try {
    const probe = JSON.parse(r.stdout) as KernelProbe;
    if (probe.defaults.nftables !== true)
      return { ok: false, reason: 'nftables cannot create a bridge table inside a namespace' };
    return { ok: true, probe };
  } catch {
    return { ok: false, reason: `unexpected probe output: ${r.stdout.slice(0, 200)}` };
  }
}

/**
 * Why the kernel harness cannot run this scenario, or undefined when it can. Mirrors the driver's
 * own check (which exits with status 3), so callers can decide before spending a run.
 */
export function kernelCannotRun(scenario: Scenario): string | undefined {
  if (scenario.profile !== 'linux') return `profile ${scenario.profile}: only 'linux' is a current kernel`;
  if (scenario.nat.length > 0) return 'NAT is not built by the kernel harness';
  if (scenario.load) return 'the load generator is not run by the kernel harness';
  for (const link of [scenario.defaultLink, ...scenario.links])
    if (link.loss || link.duplicate || link.reorder) return 'random loss/duplication/reordering needs netem';
  for (const [name, host] of Object.entries(scenario.hosts)) {
    if (host.sysctl['net.ipv4.tcp_tw_recycle'] !== undefined)
      return `${name} sets tcp_tw_recycle, removed in Linux 4.12`;
    if (host.isn !== 'rfc6528') return `${name} uses ${host.isn} ISNs; Linux's are RFC 6528 (secure_tcp_seq)`;
  }
  for (const step of scenario.script)
    if (step.call === 'crash' || step.call === 'reboot') return `step ${step.index}: ${step.call}`;
  for (const f of scenario.faults) {
    // drop: an nftables rule on the wire; delay, duplicate, loop: the wire relay (driver.py, class Wire).
    if (f.match.id !== undefined) return 'a fault aimed at a segment id has no meaning on the kernel';
  }
  return undefined;
}

export class KernelUnsupportedError extends Error {}

export interface RunOptions {
  /** Also return tcpdump's view of the wire (observation.kernel.trace). */
  trace?: boolean;
  /**
   * Give every link its scenario delay: nftables then drops all IPv4 frames on the bridge and the wire
   * relay carries each one `delay` later (no netem here). Python's scheduling adds ~0.1–1 ms.
   */
  linkDelay?: boolean;
  /** Kill the driver after this long (default: the scenario's length plus 90 s). */
  timeoutMs?: number;
}

/** Run `scenario` on the kernel and resolve with what an observer saw. */
export function runOnKernel(scenario: Scenario, options: RunOptions = {}): Promise<KernelObservation> {
  const timeoutMs = options.timeoutMs ?? Math.ceil(scenario.until / 1000) + 90_000;
  return new Promise((resolve, reject) => {
    const child = spawn('python3', [DRIVER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
    });
    // SIGTERM lets the driver delete its namespaces; SIGKILL only if it does not manage to. A later
    // driver sweeps namespaces left by a dead one.
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut)
        return reject(new Error(`kernel run of ${scenario.name} timed out after ${timeoutMs} ms`));
      if (code === 3) return reject(new KernelUnsupportedError(err.trim()));
      if (code !== 0)
        return reject(new Error(`driver.py exited with ${code} for ${scenario.name}: ${err.trim()}`));
      try {
        resolve(JSON.parse(out) as KernelObservation);
      } catch (e) {
        reject(new Error(`driver.py printed something that is not JSON: ${String(e)}: ${out.slice(0, 300)}`));
      }
    });
    child.stdin.end(
      JSON.stringify({ scenario, trace: options.trace === true, linkDelay: options.linkDelay === true }),
    );
  });
}
