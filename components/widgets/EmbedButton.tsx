/**
 * EmbedButton — the "copy embed code" hook every widget carries.
 *
 * Props:
 * - `widget`: the widget's name (e.g. 'close-explorer').
 * - `stateKey`: the widget's key in the URL fragment (its id), used for the fallback link.
 * - `state`: the widget's current state (what the URL holds).
 * - `lang`: 'en' | 'zh-CN'.
 *
 * On click it dispatches a bubbling, cancelable `twg:embed` CustomEvent with detail `{ widget, state }`
 * from the button. Whoever provides embed code (the embeds feature) listens for it (on document is
 * fine), calls `event.preventDefault()` to say it handled it, and shows or copies the code itself. When
 * nobody handles it, the button copies a link to this exact state (URL fragment) and says so, or shows
 * the link in a field when the clipboard is unavailable.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { type Lang, labels } from './runtime/i18n.ts';

export interface EmbedButtonProps {
  widget: string;
  stateKey: string;
  state: unknown;
  lang: Lang;
}

export interface EmbedRequest {
  widget: string;
  state: unknown;
}

export const EMBED_EVENT = 'twg:embed';

export function EmbedButton({ widget, stateKey, state, lang }: EmbedButtonProps): JSX.Element {
  const L = labels(lang);
  const [status, setStatus] = useState<{ text: string; link?: string } | null>(null);
  const onClick = async (e: MouseEvent) => {
    const ev = new CustomEvent<EmbedRequest>(EMBED_EVENT, {
      detail: { widget, state },
      bubbles: true,
      cancelable: true,
      composed: true,
    });
    const handled = !(e.currentTarget as HTMLElement).dispatchEvent(ev);
    if (handled) {
      setStatus({ text: L.embedHandled });
      return;
    }
    // Loaded on demand: most readers never press the button, so the page does not carry the encoder.
    const { linkToState } = await import('./runtime/urlState.ts');
    const link = linkToState(stateKey, state);
    try {
      // Without permission a browser may leave the promise pending (a prompt nobody sees): give up soon.
      await Promise.race([
        navigator.clipboard.writeText(link),
        new Promise((_, reject) => setTimeout(() => reject(new Error('clipboard timeout')), 1500)),
      ]);
      setStatus({ text: L.linkCopied });
    } catch {
      setStatus({ text: L.linkShown, link });
    }
  };
  return (
    <div class="twg-embed">
      <button type="button" class="twg-btn twg-btn-text" onClick={onClick} data-act="embed">
        {L.embed}
      </button>
      <span class="twg-status" role="status">
        {status?.text}
        {status?.link !== undefined && (
          <input
            class="twg-link"
            type="text"
            readOnly
            value={status.link}
            aria-label={L.linkShown}
            onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
          />
        )}
      </span>
    </div>
  );
}

export default EmbedButton;
