// The load generator (types.ts LoadSpec): "10,000 connections per second for 2 minutes" as one object.
// Requests are evenly spaced; each needs a connection (new, or an idle pooled one); the client sends
// requestBytes, the server answers with responseBytes, and after requestsPerConnection requests the
// chosen side closes first. Everything runs through the same TCP code as the script, without events
// or strings unless somebody listens.

import { FastEngine } from './fast/engine.ts';
import { FastHost } from './fast/host.ts';
import type { Host } from './host.ts';
import { setLoadDriver } from './load-hook.ts';
import type { App, Sock } from './tcp/tcb.ts';
import type { World } from './tcp/world.ts';
import type { Errno, LoadSpec, Sample } from './types.ts';

interface ConnState {
  /** Bytes of the current request (server) or response (client) received so far. */
  got: number;
  /** Requests completed on this connection. */
  served: number;
  /** A request is outstanding on it (client side). */
  busy: boolean;
}

export interface LoadStats {
  requests: number;
  completed: number;
  connects: number;
  connectFailures: number;
  resets: number;
}

export function startLoad(w: World, byName: Map<string, Host>, spec: LoadSpec, samples: Sample[]): LoadStats {
  const client = byName.get(spec.client);
  const server = byName.get(spec.server);
  const stats: LoadStats = { requests: 0, completed: 0, connects: 0, connectFailures: 0, resets: 0 };
  if (client === undefined || server === undefined || spec.rate <= 0) return stats;
  const dstIps = spec.dstIps.length > 0 ? spec.dstIps : [server.spec.ip];
  const dstPorts = spec.dstPorts.length > 0 ? spec.dstPorts : [80];
  const request = 'q'.repeat(spec.requestBytes);
  const response = 'r'.repeat(spec.responseBytes);
  const perConn = Math.max(1, spec.requestsPerConnection);
  const closer = spec.closer;

  // --- server -----------------------------------------------------------------------------------
  const serverApp: App = {
    connected() {},
    acceptable(l: Sock) {
      const q = l.acceptQueue;
      if (q === undefined) return;
      while (q.length > 0) {
        const c = q.shift() as Sock;
        c.parent = undefined;
        c.app = serverApp;
        c.appData = { got: 0, served: 0, busy: false } satisfies ConnState;
        if (c.rcvBuf.length > 0 || c.rcvFin) serverApp.readable(c);
      }
    },
    readable(s: Sock) {
      const st = s.appData as ConnState | undefined;
      if (st === undefined) return; // not accepted yet: acceptable() will look at the buffer
      if (s.rcvBuf.length > 0) {
        st.got += s.rcvBuf.length;
        s.rcvBuf = '';
        while (spec.requestBytes > 0 ? st.got >= spec.requestBytes : st.got > 0) {
          st.got -= spec.requestBytes > 0 ? spec.requestBytes : st.got;
          st.served++;
          server.send(s, response);
          if (closer === 'server' && st.served >= perConn) {
            server.close(s);
            return;
          }
        }
      }
      if (s.rcvFin) server.close(s);
    },
    failed() {
      stats.resets++;
    },
  };
  for (const port of dstPorts) {
    const l = server.newSocket();
    l.reuseAddr = true;
    if (server.bind(l, '0.0.0.0', port) !== undefined) continue;
    l.app = serverApp;
    server.listen(l, 1 << 30);
  }

  // --- client -----------------------------------------------------------------------------------
  const idle: Sock[] = [];
  let open = 0;
  let waiting = 0; // requests queued for a pooled connection
  let connIndex = 0;

  const sendRequest = (s: Sock): void => {
    const st = s.appData as ConnState;
    st.busy = true;
    st.got = 0;
    client.send(s, request);
  };
  const finished = (s: Sock): void => {
    if (s.appData !== undefined) {
      s.appData = undefined;
      open--;
    }
  };
  const becameIdle = (s: Sock): void => {
    if (waiting > 0) {
      waiting--;
      sendRequest(s);
    } else idle.push(s);
  };
  const clientApp: App = {
    connected(s: Sock) {
      sendRequest(s);
    },
    acceptable() {},
    readable(s: Sock) {
      const st = s.appData as ConnState | undefined;
      if (st === undefined) return;
      if (s.rcvBuf.length > 0) {
        st.got += s.rcvBuf.length;
        s.rcvBuf = '';
        if (st.busy && st.got >= spec.responseBytes) {
          st.busy = false;
          st.served++;
          stats.completed++;
          if (st.served >= perConn) {
            if (closer === 'client') {
              finished(s);
              client.close(s);
              return;
            }
          } else becameIdle(s);
        }
      }
      if (s.rcvFin) {
        const i = idle.indexOf(s);
        if (i >= 0) idle.splice(i, 1);
        finished(s);
        client.close(s);
      }
    },
    failed(s: Sock, _err: Errno) {
      stats.resets++;
      const i = idle.indexOf(s);
      if (i >= 0) idle.splice(i, 1);
      finished(s);
    },
  };

  const openConnection = (): void => {
    const s = client.newSocket();
    s.app = clientApp;
    const k = connIndex++;
    if (spec.srcIps.length > 0) {
      s.bindNoPort = true;
      client.bind(s, spec.srcIps[k % spec.srcIps.length] as string, 0);
    }
    const combos = dstIps.length * dstPorts.length;
    const c = k % combos;
    const ip = dstIps[c % dstIps.length] as string;
    const port = dstPorts[Math.floor(c / dstIps.length)] as number;
    stats.connects++;
    s.appData = { got: 0, served: 0, busy: false } satisfies ConnState;
    open++;
    const err = client.connect(s, ip, port);
    if (err !== undefined) {
      stats.connectFailures++;
      s.appData = undefined;
      open--;
    }
  };

  const oneRequest = (): void => {
    stats.requests++;
    if (perConn > 1 || spec.pool > 0) {
      const s = idle.pop();
      if (s !== undefined) {
        sendRequest(s);
        return;
      }
      if (spec.pool > 0 && open >= spec.pool) {
        waiting++;
        return;
      }
    }
    openConnection();
  };

  const interval = 1e6 / spec.rate;
  const end = spec.start + spec.duration;
  let n = 0;
  const tick = (): void => {
    oneRequest();
    n++;
    const next = spec.start + Math.floor(n * interval);
    if (next < end) w.engine.at(next, tick, 0);
  };
  if (spec.duration > 0) w.engine.at(spec.start, tick, 0);

  if (spec.sampleEvery > 0) {
    const sample = (): void => {
      const t = w.engine.now;
      for (const h of [client, server]) {
        samples.push({
          t,
          host: h.name,
          timeWait: h.timeWaitCount,
          established: h.established,
          portsInUse: h.ports.size,
          connects: h === client ? stats.connects : 0,
          connectFailures: h === client ? stats.connectFailures : 0,
        });
      }
      w.engine.at(t + spec.sampleEvery, sample, 0);
    };
    w.engine.at(spec.start, sample, 0);
  }
  return stats;
}

// Importing this module makes createSimulation() able to run load scenarios, and builds every run
// from the faster engine and host of src/sim/fast/ (see load-hook.ts).
setLoadDriver(startLoad, { Engine: FastEngine, Host: FastHost });
