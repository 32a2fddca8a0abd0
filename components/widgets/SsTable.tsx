/**
 * SsTable — one host's TCP sockets at an instant, laid out like `ss -tan -o`.
 *
 * Props:
 * - `host`: the host's name in the scenario (shown in the caption, translated for client/server).
 * - `rows`: SocketRow[] at the instant, e.g. tableAt(run, host, t) from ./runtime/run.ts (timers are
 *   already counted down to t).
 * - `lang`: 'en' | 'zh-CN'.
 *
 * State names and the timer column are printed as iproute2's ss prints them (SS_STATE, ssTimer in
 * src/sim/observe.ts), so a reader can compare with a real terminal.
 */
import type { JSX } from 'preact';
import { SS_STATE, ssTimer } from '../../src/sim/observe.ts';
import type { SocketRow } from '../../src/sim/types.ts';
import { hostName, type Lang, labels } from './runtime/i18n.ts';

export interface SsTableProps {
  host: string;
  rows: readonly SocketRow[];
  lang: Lang;
}

export function SsTable({ host, rows, lang }: SsTableProps): JSX.Element {
  const L = labels(lang);
  // On a phone the table is wider than the page: it scrolls inside its own region (focusable, so a
  // keyboard can scroll it too) instead of widening the page.
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus so a keyboard can scroll it (axe: scrollable-region-focusable)
    <section class="twg-ss-wrap" tabIndex={0} aria-label={L.ssCaption(hostName(lang, host))}>
      <table class="twg-ss">
        <caption>{L.ssCaption(hostName(lang, host))}</caption>
        <thead>
          <tr>
            <th scope="col">State</th>
            <th scope="col">Recv-Q</th>
            <th scope="col">Send-Q</th>
            <th scope="col">Local Address:Port</th>
            <th scope="col">Peer Address:Port</th>
            <th scope="col">Process</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={6} class="twg-empty">
                {L.ssEmpty}
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr
                key={`${r.local} ${r.remote} ${r.state}`}
                class={r.state === 'TIME_WAIT' ? 'twg-row-tw' : undefined}
              >
                <td>{SS_STATE[r.state]}</td>
                <td>{r.recvQ}</td>
                <td>{r.sendQ}</td>
                <td>{r.local}</td>
                <td>{r.remote}</td>
                <td>
                  {[
                    r.fd !== undefined ? `fd=${r.fd}` : '',
                    r.timer ? `timer:(${r.timer.kind},${ssTimer(r.timer.remaining)},${r.timer.retries})` : '',
                  ]
                    .filter(Boolean)
                    .join(' ')}
                </td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}

export default SsTable;
