/**
 * Transcript — a plain-language account of what happened up to an instant, in the page's language.
 *
 * Props:
 * - `sentences`: from transcript(run, t, lang) in ./runtime/transcript.ts ({ t, text }[]).
 * - `lang`: 'en' | 'zh-CN'.
 * - `heading`: optional heading text (default: the localized "What happened").
 *
 * The newest sentence is marked; screen readers are not interrupted on every step (no live region:
 * the widget announces the instant itself).
 */
import type { JSX } from 'preact';
import { type Lang, labels } from './runtime/i18n.ts';
import { formatTime } from './runtime/time.ts';
import type { Sentence } from './runtime/transcript.ts';

export interface TranscriptProps {
  sentences: readonly Sentence[];
  lang: Lang;
  heading?: string;
}

export function Transcript({ sentences, lang, heading }: TranscriptProps): JSX.Element {
  const L = labels(lang);
  const lastT = sentences[sentences.length - 1]?.t;
  return (
    <section class="twg-transcript" aria-label={heading ?? L.transcript}>
      <p class="twg-h">{heading ?? L.transcript}</p>
      {sentences.length === 0 ? (
        <p class="twg-empty">{L.transcriptEmpty}</p>
      ) : (
        <ol>
          {sentences.map((s, i) => (
            <li key={i} class={s.t === lastT ? 'twg-latest' : undefined}>
              <span class="twg-tstamp">{formatTime(s.t, lang)}</span> {s.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export default Transcript;
