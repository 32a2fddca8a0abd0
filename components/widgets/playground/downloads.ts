// The playground's downloads of the run on screen: JSON, text and, for scripted runs, a .pcap capture.
//
// Scripted runs re-run their scenario here (the simulator is deterministic: same scenario and seed,
// same trace) and export the whole trace (src/export/run-export.ts, format "timewait-guide/run"
// version 1, kind "trace"). Load runs (up to 3 × 10⁵ connections, run in a Web Worker) export their
// counters only — kind "counters": the scenario, the seed and the PlaygroundResult the page shows
// (counter series, the connect() log's head, the ss summary, the stats) — and no capture: millions of
// packets would make a file of hundreds of megabytes built on the page's main thread.

import { exportFileName, exportRun, RUN_FORMAT, RUN_FORMAT_VERSION } from '../../../src/export/run-export.ts';
import { formatSeconds } from '../../../src/sim/seconds.ts';
import type { Scenario } from '../../../src/sim/types.ts';
import type { Lang } from '../knobs/spec.ts';
import { runScenario } from '../runtime/run.ts';
import { transcript } from '../runtime/transcript.ts';
import type { PlaygroundResult } from '../worker/run.ts';

export type DownloadKind = 'json' | 'text' | 'pcap';

export interface DownloadFile {
  name: string;
  type: string;
  data: string | Uint8Array;
}

const TRANSCRIPT: Record<Lang, string> = { en: 'What happened', 'zh-cn': '发生了什么' };

/** The counters document of a load run (kind "counters"). */
export function countersDocument(json: unknown, scenario: Scenario, result: PlaygroundResult) {
  const { wallMs: _wallMs, ...rest } = result;
  return {
    format: RUN_FORMAT,
    version: RUN_FORMAT_VERSION,
    kind: 'counters' as const,
    scenario: json,
    name: scenario.name,
    profile: scenario.profile,
    seed: scenario.seed,
    until: scenario.until,
    result: rest,
  };
}

function countersText(scenario: Scenario, r: PlaygroundResult): string {
  const out = [
    `# ${scenario.name}`,
    `profile ${r.profile}, seed ${scenario.seed}, until ${formatSeconds(r.until)} s`,
    `${r.stats.events} events, ${r.stats.segments} segments, ${r.stats.connections} connections`,
  ];
  if (r.load) {
    out.push(
      '',
      '## Load',
      `connect() calls: ${r.load.connects}, failed: ${r.load.failures}`,
      `first failure: ${r.load.firstFailure === undefined ? '(none)' : `${formatSeconds(r.load.firstFailure)} s`}`,
      `distinct 4-tuples: ${r.load.tuples}, tcp_max_tw_buckets: ${r.load.maxTw}`,
    );
  }
  out.push('', '## Counters over time (time in seconds, value)');
  for (const s of r.series) {
    out.push(`### ${s.kind} (${s.host})`);
    for (let i = 0; i < s.t.length; i++) out.push(`${formatSeconds(s.t[i] as number)}  ${s.v[i]}`);
  }
  for (const h of r.ss) {
    out.push('', `## ${h.host}: sockets at the end (ss -tan -o, first rows)`, h.head);
    out.push(
      Object.entries(h.counts)
        .map(([state, n]) => `${state}=${n}`)
        .join(' ') + ` total=${h.total}`,
    );
  }
  return `${out.join('\n')}\n`;
}

/**
 * The file of one kind for the run on screen. `result` set and a load in the scenario: counters only
 * (and no pcap: the caller does not offer it).
 */
export function buildDownload(
  kind: DownloadKind,
  json: unknown,
  scenario: Scenario,
  lang: Lang,
  result?: PlaygroundResult,
): DownloadFile {
  const ext = kind === 'text' ? 'txt' : kind;
  const name = exportFileName(scenario.name, scenario.seed, ext);
  if (scenario.load) {
    if (kind === 'pcap' || result === undefined)
      throw new RangeError('download: a load run exports its counters only (JSON or text)');
    if (kind === 'json')
      return {
        name,
        type: 'application/json',
        data: `${JSON.stringify(countersDocument(json, scenario, result), null, 2)}\n`,
      };
    return { name, type: 'text/plain;charset=utf-8', data: countersText(scenario, result) };
  }
  const ex = exportRun(json, scenario);
  if (kind === 'json')
    return { name, type: 'application/json', data: `${JSON.stringify(ex.document, null, 2)}\n` };
  if (kind === 'pcap') return { name, type: 'application/vnd.tcpdump.pcap', data: ex.pcap() };
  const run = runScenario(scenario, { tables: false });
  const sentences = transcript(run, run.end, lang === 'zh-cn' ? 'zh-CN' : 'en').map(
    (s) => `${formatSeconds(s.t)}  ${s.text}`,
  );
  return {
    name,
    type: 'text/plain;charset=utf-8',
    data: ex.text([{ title: TRANSCRIPT[lang], lines: sentences }]),
  };
}

/** Hand a file to the browser as a download: a Blob behind an object URL, clicked through `<a download>`. */
export function saveFile(file: DownloadFile): void {
  const blob = new Blob([file.data as BlobPart], { type: file.type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = file.name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the URL by now; revoke it a little later to be safe in every browser.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
