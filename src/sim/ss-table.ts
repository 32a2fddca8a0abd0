// `ss -tan -o` as text, for the CLI, the playground's downloads and the load worker. Kept apart from
// ./observe.ts because a module's code is bundled once with every export any page uses: chapter pages
// import observe.ts for the sequence-diagram data and would otherwise carry this table too.

import { SS_STATE, ssTimer } from './observe.ts';
import type { SocketRow } from './types.ts';

export interface SsOptions {
  /** Print the header line (default true). */
  header?: boolean;
  /** Add the script's socket name in the Process column (default true). */
  fd?: boolean;
}

/** Rows in the layout of `ss -tan -o`. */
export function ssTable(rows: readonly SocketRow[], opts: SsOptions = {}): string {
  const showFd = opts.fd !== false;
  const table: string[][] = [];
  if (opts.header !== false)
    table.push(['State', 'Recv-Q', 'Send-Q', 'Local Address:Port', 'Peer Address:Port', 'Process']);
  for (const r of rows) {
    const extra: string[] = [];
    if (showFd && r.fd !== undefined) extra.push(`fd=${r.fd}`);
    if (r.timer) extra.push(`timer:(${r.timer.kind},${ssTimer(r.timer.remaining)},${r.timer.retries})`);
    table.push([SS_STATE[r.state], String(r.recvQ), String(r.sendQ), r.local, r.remote, extra.join(' ')]);
  }
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...table.map((row) => (row[c] as string).length)));
  return table
    .map((row) =>
      row
        .map((cell, c) => (c < 5 ? cell.padEnd((widths[c] as number) + 1) : cell))
        .join(' ')
        .trimEnd(),
    )
    .join('\n');
}
