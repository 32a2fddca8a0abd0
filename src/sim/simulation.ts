// createSimulation(): wires engine, network, hosts and the script (and the load generator) of a
// parsed Scenario into a Simulation (types.ts) that can be stepped, run and inspected.

import { Engine } from './engine.ts';
import { callRecord, Host } from './host.ts';
import { fast, loadDriver } from './load-hook.ts';
import { Net } from './net.ts';
import { Prng } from './prng.ts';
import { getProfile } from './profiles.ts';
import { COUNTER_NAMES } from './tcp/counters.ts';
import { isFinAcked } from './tcp/output.ts';
import type { AnySock } from './tcp/tcb.ts';
import { ipToNum, LISTEN, numToIp, STATE_NAMES, TwPool } from './tcp/tcb.ts';
import type { World } from './tcp/world.ts';
import type {
  CallRecord,
  Errno,
  Sample,
  Scenario,
  ScriptStep,
  Simulation,
  SimulationOptions,
  SocketRow,
} from './types.ts';

export function createSimulation(scenario: Scenario, options: SimulationOptions = {}): Simulation {
  const engine = new (fast?.Engine ?? Engine)();
  const profile = getProfile(scenario.profile);
  const w: World = {
    engine,
    rng: new Prng(scenario.seed),
    profile,
    hosts: [],
    hostByIp: new Map(),
    net: undefined as unknown as Net,
    on: options.onEvent,
    calls: [],
    nextSegId: 0,
    segments: 0,
    connections: 0,
    twPool: new TwPool(),
    segPool: [],
  };
  const byName = new Map<string, Host>();
  for (const [name, spec] of Object.entries(scenario.hosts)) {
    const h = new (fast?.Host ?? Host)(w, w.hosts.length, name, spec, profile);
    w.hosts.push(h);
    byName.set(name, h);
    for (const ip of h.ips) if (ip >>> 24 !== 127) w.hostByIp.set(ip, h);
  }
  w.net = new Net(w, scenario);

  for (const step of scenario.script) engine.at(step.at, (s: ScriptStep) => runStep(w, byName, s), step);
  const samples: Sample[] = [];
  if (scenario.load !== undefined) loadDriver()(w, byName, scenario.load, samples);

  const hostOf = (name: string): Host => {
    const h = byName.get(name);
    if (h === undefined) throw new Error(`no host named '${name}'`);
    return h;
  };

  return {
    scenario,
    get now() {
      return engine.now;
    },
    runUntil(t?: number) {
      engine.runUntil(t ?? scenario.until);
    },
    step() {
      return engine.runInstant(scenario.until);
    },
    sockets(name: string) {
      return socketRows(w, hostOf(name));
    },
    counters(name: string) {
      const h = hostOf(name);
      const out: Record<string, number> = {};
      COUNTER_NAMES.forEach((n, i) => {
        out[n] = h.counters[i] as number;
      });
      return out;
    },
    get calls() {
      return w.calls;
    },
    received(name: string, fd: string) {
      return hostOf(name).named.get(fd)?.got ?? '';
    },
    get samples() {
      return samples;
    },
    get stats() {
      return { events: engine.events, segments: w.segments, connections: w.connections };
    },
  };
}

function addr(ip: number, port: number): string {
  return `${numToIp(ip)}:${port}`;
}

function socketRows(w: World, h: Host): SocketRow[] {
  const now = w.engine.now;
  const list: AnySock[] = [...h.allSockets()];
  list.sort((a, b) => a.lip - b.lip || a.lport - b.lport || a.rip - b.rip || a.rport - b.rport);
  return list.map((s) => {
    if (s.isTw) {
      return {
        local: addr(s.lip, s.lport),
        remote: addr(s.rip, s.rport),
        state: STATE_NAMES[s.state] ?? 'CLOSED',
        recvQ: 0,
        sendQ: 0,
        timer: { kind: 'timewait', remaining: Math.max(0, s.expires - now), retries: 0 },
      };
    }
    // tcp_diag_get_info(): a listener shows its accept queue and backlog; a connection Recv-Q =
    // rcv_nxt − copied_seq and Send-Q = write_seq − snd_una, so a received FIN counts one until recv()
    // has returned end of stream, and our FIN counts one from close()/shutdown() until it is acknowledged.
    const listen = s.state === LISTEN;
    const row: SocketRow = {
      local: addr(s.lip, s.lport),
      remote: listen ? '*:*' : addr(s.rip, s.rport),
      state: STATE_NAMES[s.state] ?? 'CLOSED',
      recvQ: listen ? (s.acceptQueue?.length ?? 0) : s.rcvBuf.length + (s.rcvFin && !s.finRead ? 1 : 0),
      sendQ: listen ? s.backlog : s.sndBuf.length + (s.finQueued && !isFinAcked(s) ? 1 : 0),
    };
    if (s.rtxTok !== 0) row.timer = { kind: 'on', remaining: Math.max(0, s.rtxAt - now), retries: s.retries };
    if (s.fd !== undefined && !s.orphan && h.fds.get(s.fd) === s) row.fd = s.fd;
    return row;
  });
}

/** One script step at its time. */
function runStep(w: World, byName: Map<string, Host>, step: ScriptStep): void {
  const h = byName.get(step.host);
  if (h === undefined) return;
  const now = w.engine.now;
  const rec = callRecord(step, h.name, step.call, now);
  w.calls.push(rec);
  const done = (r: CallRecord['result']): void => h.finish(rec, r, now);
  const err = (e: Errno | undefined): void => done(e ?? '0');

  if (step.call === 'crash') {
    h.crash();
    if (w.on) w.on({ t: now, type: 'host', host: h.name, action: 'crash' });
    done('0');
    return;
  }
  if (step.call === 'reboot') {
    h.reboot(step.quietTime === true);
    if (w.on) w.on({ t: now, type: 'host', host: h.name, action: 'reboot' });
    if (h.quietUntil > now && w.on) {
      const on = w.on;
      w.engine.at(
        h.quietUntil,
        () => on({ t: h.quietUntil, type: 'host', host: h.name, action: 'quiet-end' }),
        0,
      );
    }
    done('0');
    return;
  }
  if (h.down) {
    done('EBADF');
    return;
  }
  if (step.call === 'socket') {
    const s = h.newSocket();
    h.nameSocket(s, step.as ?? step.fd ?? `fd${w.calls.length}`);
    done('0');
    return;
  }
  const s = step.fd !== undefined ? h.fds.get(step.fd) : undefined;
  if (s === undefined) {
    done('EBADF');
    return;
  }
  switch (step.call) {
    case 'setsockopt': {
      const v = step.value;
      switch (step.option) {
        case 'SO_REUSEADDR':
          s.reuseAddr = v !== 0 && v !== undefined;
          break;
        case 'SO_REUSEPORT':
          s.reusePort = v !== 0 && v !== undefined;
          break;
        case 'SO_LINGER':
          s.linger = typeof v === 'object' && v.onoff === 1 ? v.linger : -1;
          break;
        case 'TCP_LINGER2': {
          // do_tcp_setsockopt(): < 0 → no FIN_WAIT_2; > TCP_FIN_TIMEOUT_MAX (120 s) → capped; 0 → sysctl.
          const n = typeof v === 'number' ? v : 0;
          s.linger2 = n < 0 ? -1 : Math.min(n, 120) * 1_000_000;
          break;
        }
        case 'IP_BIND_ADDRESS_NO_PORT':
          s.bindNoPort = v !== 0 && v !== undefined;
          break;
        default:
          done('EINVAL');
          return;
      }
      done('0');
      return;
    }
    case 'bind': {
      const a = step.addr ?? { ip: '0.0.0.0', port: 0 };
      const e = h.bind(s, a.ip, a.port);
      if (e === undefined && s.lport !== 0) rec.port = s.lport;
      err(e);
      return;
    }
    case 'listen':
      err(h.listen(s, step.backlog ?? 4096));
      return;
    case 'connect': {
      const a = step.addr;
      if (a === undefined) {
        done('EINVAL');
        return;
      }
      const e = h.connect(s, a.ip, a.port);
      if (e !== undefined) {
        done(e);
        return;
      }
      rec.port = s.lport;
      s.pendConnect = rec;
      return;
    }
    case 'accept': {
      if (s.state !== LISTEN) {
        done('EINVAL');
        return;
      }
      const q = s.acceptQueue ?? [];
      const c = q.shift();
      const as = step.as ?? `${step.fd}.${w.calls.length}`;
      if (c !== undefined) {
        c.parent = undefined;
        h.nameSocket(c, as);
        rec.port = c.rport;
        done('0');
      } else s.pendAccept?.push({ rec, as });
      return;
    }
    case 'send':
      err(h.send(s, step.data ?? ''));
      return;
    case 'recv': {
      const r = h.readNow(s, step.bytes ?? 0);
      if (r === undefined) {
        s.pendRecv = { rec, max: step.bytes ?? 0 };
        return;
      }
      rec.data = r.data;
      done(r.result);
      return;
    }
    case 'shutdown':
      err(h.shutdown(s, step.how ?? 'SHUT_WR'));
      return;
    case 'close':
      h.close(s);
      done('0');
      return;
  }
}

export { ipToNum };
