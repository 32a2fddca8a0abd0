/**
 * TcpdumpLog — what a capture would have printed up to an instant, one tcpdump-style line per segment.
 *
 * Props:
 * - `lines`: from tcpdumpAt(run, t) in ./runtime/run.ts (src/sim/observe.ts `tcpdumpLines`: relative
 *   sequence numbers, "(dropped: …)" and "(duplicate of #…)" marks).
 * - `lang`: 'en' | 'zh-CN'.
 * - `label`: accessible name (default: the localized "tcpdump -n").
 *
 * The log is a focusable, scrollable region (keyboard users can scroll it) that keeps its newest line
 * in view.
 */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { type Lang, labels } from './runtime/i18n.ts';

export interface TcpdumpLogProps {
  lines: readonly string[];
  lang: Lang;
  label?: string;
}

export function TcpdumpLog({ lines, lang, label }: TcpdumpLogProps): JSX.Element {
  const L = labels(lang);
  const ref = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines.length]);
  return (
    <section class="twg-tcpdump-wrap" aria-label={label ?? L.tcpdump}>
      <p class="twg-h">{label ?? L.tcpdump}</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1) */}
      <pre ref={ref} class="twg-tcpdump" tabIndex={0}>
        {lines.length === 0 ? <span class="twg-empty">{L.tcpdumpEmpty}</span> : lines.join('\n')}
      </pre>
    </section>
  );
}

export default TcpdumpLog;
