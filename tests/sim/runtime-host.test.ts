import { describe, expect, it } from 'vitest';
import { build, clientConnect, ms, run, sec, serverSteps, statesAt } from './build-scenario.ts';

function crashReboot(quietTime: boolean) {
  return build({
    until: sec(120),
    script: [
      ...serverSteps(0),
      ...clientConnect(ms(10)),
      { at: sec(1), host: 'server', call: 'crash' },
      { at: sec(2), host: 'server', call: 'reboot', quietTime },
      { at: sec(3), host: 'client', call: 'send', fd: 'C', data: 'are you there?' },
      { at: sec(3), host: 'client', call: 'recv', fd: 'C' },
    ],
  });
}

describe('crash and reboot', () => {
  it('a crashed host sends nothing and loses every socket; after reboot it answers old segments with RST', () => {
    const { sim, events } = run(crashReboot(false), sec(10));
    expect(statesAt(sim, 'server')).toEqual([]);
    const recv = sim.calls.find((c) => c.call === 'recv');
    expect(recv?.result).toBe('ECONNRESET');
    expect(recv?.doneAt).toBe(sec(3) + ms(10));
    expect(
      events.some((e) => e.type === 'seg-send' && e.host === 'server' && e.t > sec(1) && e.t < sec(2)),
    ).toBe(false);
    expect(sim.counters('server').TcpOutRsts).toBe(1);
  });

  it('with RFC 793 quiet time the rebooted host stays silent for one MSL, so the client keeps retransmitting', () => {
    const { sim, events } = run(crashReboot(true), sec(60));
    const msl = sec(30); // linux profile: TCP_TIMEWAIT_LEN / 2
    const serverSends = events.filter((e) => e.type === 'seg-send' && e.host === 'server' && e.t > sec(1));
    expect(serverSends.every((e) => e.t >= sec(2) + msl)).toBe(true);
    expect(events.some((e) => e.type === 'seg-drop' && e.reason === 'quiet')).toBe(true);
    expect(sim.counters('client').TcpRetransSegs).toBeGreaterThan(3);
    const recv = sim.calls.find((c) => c.call === 'recv');
    expect(recv?.result).toBe('ECONNRESET');
    expect(recv?.doneAt ?? 0).toBeGreaterThan(sec(2) + msl);
    expect(events.some((e) => e.type === 'host' && e.action === 'quiet-end' && e.t === sec(2) + msl)).toBe(
      true,
    );
  });
});
