// Each view of the widget toolkit, rendered to HTML the way the build renders an island's first frame.
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { CloseExplorer } from '../../components/widgets/CloseExplorer.tsx';
import { EmbedButton } from '../../components/widgets/EmbedButton.tsx';
import type { Playback } from '../../components/widgets/runtime/playback.ts';
import {
  addDrop,
  lastArrival,
  runScenario,
  tableAt,
  tcpdumpAt,
} from '../../components/widgets/runtime/run.ts';
import { timeAxis } from '../../components/widgets/runtime/time.ts';
import { transcript } from '../../components/widgets/runtime/transcript.ts';
import { arrowLabel, SequenceDiagram } from '../../components/widgets/SequenceDiagram.tsx';
import { SsTable } from '../../components/widgets/SsTable.tsx';
import { StateMachine } from '../../components/widgets/StateMachine.tsx';
import { TcpdumpLog } from '../../components/widgets/TcpdumpLog.tsx';
import { Timeline } from '../../components/widgets/Timeline.tsx';
import { Transcript } from '../../components/widgets/Transcript.tsx';
import { closeScenarios } from './widgets-fixture.ts';

const S = closeScenarios();
const run = runScenario(S.client);
const axis = timeAxis(run.instants, run.end);
const t0 = lastArrival(run);
const count = (html: string, re: RegExp) => (html.match(re) ?? []).length;

describe('SequenceDiagram', () => {
  it('draws one lane per endpoint and only the segments sent by t', () => {
    const html = renderToString(<SequenceDiagram run={run} axis={axis} t={t0} lang="en" />);
    expect(count(html, /class="twg-lane"/g)).toBe(2);
    expect(html).toContain('10.0.0.2:80');
    expect(count(html, /class="twg-arrow/g)).toBe(run.seq.arrows.length);
    const early = renderToString(<SequenceDiagram run={run} axis={axis} t={12_000} lang="en" />);
    expect(count(early, /class="twg-arrow/g)).toBe(1);
    expect(early).toContain('twg-flying'); // the SYN is still on its way at 12 ms
    expect(early).toContain('SYN seq=0');
  });
  it('labels arrows with flags and relative seq/ack, and keeps TTL and timestamps for the tooltip', () => {
    const fin = run.seq.arrows.find((a) => a.flags === 'FA');
    expect(fin).toBeDefined();
    const html = renderToString(<SequenceDiagram run={run} axis={axis} t={t0} lang="en" />);
    expect(html).toMatch(/FIN,ACK seq=\d+ ack=\d+/);
    expect(html).toMatch(/TTL 64/);
    expect(html).toMatch(/TSval \d+ TSecr \d+/);
    // the client's ISN is its SYN's seq, so its FIN after 5 data bytes has relative seq 6
    const isn = new Map([[run.lanes[0] as string, run.seq.arrows[0]?.seq ?? 0]]);
    expect(arrowLabel(fin!, isn)).toMatch(/^FIN,ACK seq=6 /);
  });
  it('shows TIME_WAIT as a bar with its timer counting down, and state names along the lanes', () => {
    const html = renderToString(<SequenceDiagram run={run} axis={axis} t={t0 + 30_000_000} lang="en" />);
    expect(html).toContain('class="twg-tw"');
    expect(html).toMatch(/TIME_WAIT, 29\.99\d s left/);
    for (const s of ['SYN_SENT', 'ESTABLISHED', 'FIN_WAIT_1', 'FIN_WAIT_2', 'CLOSE_WAIT', 'LAST_ACK'])
      expect(html).toContain(`>${s}<`);
    expect(html).toMatch(/≈ (59|60)\.\d+ s/); // the compressed TIME_WAIT gap
  });
  it('marks a dropped segment and the restart of the TIME_WAIT timer', () => {
    const ack = run.seq.arrows[run.seq.arrows.length - 1]!;
    const lost = runScenario(S.client, { drops: addDrop(run, [], ack.seg) });
    const ax = timeAxis(lost.instants, lost.end);
    const html = renderToString(<SequenceDiagram run={lost} axis={ax} t={lost.end - 1} lang="en" />);
    expect(html).toContain('twg-lost');
    expect(html).toContain('twg-cross');
    expect(html).toContain('timer restarted');
    const zh = renderToString(<SequenceDiagram run={lost} axis={ax} t={lost.end - 1} lang="zh-CN" />);
    expect(zh).toContain('丢失');
    expect(zh).toContain('计时器重启');
    expect(zh).toContain('客户端');
  });
  it('makes segments operable only when selection is wired, one tab stop, with names', () => {
    const ro = renderToString(<SequenceDiagram run={run} axis={axis} t={t0} lang="en" />);
    expect(ro).not.toContain('role="button"');
    const html = renderToString(
      <SequenceDiagram
        run={run}
        axis={axis}
        t={t0}
        lang="en"
        selected={3}
        onSelect={() => {}}
        onDrop={() => {}}
      />,
    );
    expect(count(html, /role="button"/g)).toBe(run.seq.arrows.length);
    expect(count(html, /tabindex="0"/gi)).toBe(1);
    expect(html).toMatch(/data-seg="3" role="button" tabindex="0" aria-pressed="true" aria-label="#3 ACK/i);
  });
});

describe('StateMachine', () => {
  it('marks the current state and the edge just taken', () => {
    const html = renderToString(
      <StateMachine
        marks={[{ label: 'Client', state: 'TIME_WAIT', from: 'FIN_WAIT_2', cause: 'rcv FIN' }]}
        lang="en"
      />,
    );
    expect(count(html, /twg-fsm-on/g)).toBe(1);
    expect(html).toMatch(/twg-fsm-node twg-fsm-on twg-tone-a"><rect[^>]*><\/rect><text[^>]*>TIME_WAIT</);
    expect(count(html, /twg-fsm-edge-on/g)).toBe(1);
    expect(html).toMatch(/twg-fsm-edge-on"[^>]*><title>FIN_WAIT_2 → TIME_WAIT/);
    expect(html).toContain('role="img"');
    expect(html).toContain('last: FIN_WAIT_2 → TIME_WAIT (it received a FIN)');
  });
  it('draws the closing CLOSED apart from the initial one, and the Note 2 edge', () => {
    const closed = renderToString(
      <StateMachine marks={[{ label: 'S', state: 'CLOSED', from: 'LAST_ACK' }]} lang="en" />,
    );
    expect(closed).toMatch(/twg-fsm-edge-on"[^>]*><title>LAST_ACK → CLOSED/);
    const fresh = renderToString(<StateMachine marks={[{ label: 'S', state: 'CLOSED' }]} lang="en" />);
    expect(count(fresh, /twg-fsm-edge-on/g)).toBe(0);
    expect(fresh).toContain('FIN_WAIT_1 → TIME_WAIT: rcv FIN + ACK of FIN');
    const zh = renderToString(
      <StateMachine
        marks={[{ label: '服务器', state: 'LAST_ACK', from: 'CLOSE_WAIT', cause: 'close()' }]}
        lang="zh-CN"
      />,
    );
    expect(zh).toContain('上一步：CLOSE_WAIT → LAST_ACK（应用调用了 close()）');
  });
});

describe('Timeline', () => {
  const pb: Playback = {
    playing: false,
    speed: 1,
    reducedMotion: false,
    toggle() {},
    pause() {},
    setSpeed() {},
    stepForward() {},
    stepBack() {},
    toStart() {},
    toEnd() {},
    onKey: () => false,
  };
  it('names every control and gives the scrubber a readable value', () => {
    const html = renderToString(
      <Timeline axis={axis} t={1_105_000} onSeek={() => {}} playback={pb} lang="en" />,
    );
    for (const name of ['Go to start', 'Step back', 'Play', 'Step forward', 'Go to end'])
      expect(html).toContain(`aria-label="${name}"`);
    expect(html).toMatch(/type="range"[^>]*aria-valuetext="1.105 s"/);
    expect(html).toContain('Speed');
    expect(html).toContain('1.105 s / ');
    const zh = renderToString(
      <Timeline axis={axis} t={0} onSeek={() => {}} playback={{ ...pb, playing: true }} lang="zh-CN" />,
    );
    expect(zh).toContain('aria-label="暂停"');
    expect(zh).toContain('后退一步');
  });
});

describe('SsTable', () => {
  it('prints rows as ss -tan -o does, TIME-WAIT with its timer', () => {
    const html = renderToString(
      <SsTable host="client" rows={tableAt(run, 'client', t0 + 1_000_000)} lang="en" />,
    );
    expect(html).toContain('client: ss -tan -o');
    expect(html).toContain('<td>TIME-WAIT</td>');
    expect(html).toMatch(
      /timer:\(timewait,59sec,0\)|timer:\(timewait,58\.\d+ms,0\)|timer:\(timewait,\d+sec,0\)/,
    );
    expect(html).not.toContain('fd='); // a TIME_WAIT entry has no descriptor
    const empty = renderToString(<SsTable host="server" rows={[]} lang="zh-CN" />);
    expect(empty).toContain('服务器：ss -tan -o');
    expect(empty).toContain('没有 TCP 套接字');
  });
});

describe('TcpdumpLog', () => {
  it('shows the lines up to t in a focusable region', () => {
    const html = renderToString(<TcpdumpLog lines={tcpdumpAt(run, t0)} lang="en" />);
    expect(html).toContain('tabindex="0"');
    expect(html).toMatch(/IP 10\.0\.0\.1\.\d+ (>|&gt;) 10\.0\.0\.2\.80: Flags \[S\]/);
    expect(count(html, /Flags \[/g)).toBe(run.seq.arrows.length);
    expect(renderToString(<TcpdumpLog lines={[]} lang="en" />)).toContain('nothing on the wire yet');
  });
});

describe('Transcript', () => {
  it('tells what happened in the page language, newest last', () => {
    const en = renderToString(<Transcript sentences={transcript(run, t0, 'en')} lang="en" />);
    expect(en).toContain('The client moves ESTABLISHED → FIN_WAIT_1: the application called close().');
    expect(en).toContain('The client starts its 60 s TIME_WAIT timer.');
    expect(en).toContain('twg-latest');
    const zh = renderToString(<Transcript sentences={transcript(run, t0, 'zh-CN')} lang="zh-CN" />);
    expect(zh).toContain('客户端从 ESTABLISHED 进入 FIN_WAIT_1：应用调用了 close()。');
    expect(renderToString(<Transcript sentences={[]} lang="en" />)).toContain('Nothing has happened yet.');
  });
});

describe('EmbedButton', () => {
  it('renders a named button and a status region', () => {
    const html = renderToString(
      <EmbedButton widget="close-explorer" stateKey="close" state={{}} lang="zh-CN" />,
    );
    expect(html).toContain('>复制嵌入代码</button>');
    expect(html).toContain('role="status"');
  });
});

describe('CloseExplorer first frame', () => {
  it('renders the same HTML every time, in both languages, with everything readable', () => {
    const a = renderToString(<CloseExplorer id="close" lang="en" scenarios={S} />);
    expect(renderToString(<CloseExplorer id="close" lang="en" scenarios={S} />)).toBe(a);
    expect(a).toContain('Close explorer');
    expect(a).toContain('TIME-WAIT');
    expect(a).toContain('Flags [F.]');
    expect(a).toContain('The client starts its 60 s TIME_WAIT timer.');
    const zh = renderToString(<CloseExplorer id="close" lang="zh-CN" scenarios={S} initial="both" />);
    expect(zh).toContain('关闭过程探索器');
    expect(zh).toMatch(/value="both" checked/);
    // Simultaneous close: both state machines pass through CLOSING into TIME_WAIT.
    expect(count(zh, /twg-fsm-node twg-fsm-on[^"]*"><rect[^>]*><\/rect><text[^>]*>TIME_WAIT</g)).toBe(2);
  });
});
