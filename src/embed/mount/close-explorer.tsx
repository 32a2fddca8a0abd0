// embed/v1/close-explorer.js — the close explorer inside a <tw-close-explorer> shadow root. Loaded by
// embed.js only when such an element comes into view; registers itself with window.twgEmbed. The scenarios arrive parsed at bundle time (the
// `twg-embed-scenarios:` module, see src/integrations/embed-bundle.ts), so the parser stays out.

import scenarios from 'twg-embed-scenarios:close-explorer';
import { render } from 'preact';
// Either language can be asked for by the element's lang attribute: register both label tables.
import '../../../components/widgets/runtime/i18n-all.ts';
import { CloseExplorer, type CloseState } from '../../../components/widgets/CloseExplorer.tsx';
import { encodeState } from '../../../components/widgets/runtime/urlState.ts';
import widgetCss from '../../../components/widgets/widgets.css?raw';
import type { EmbedGlobal, MountOptions } from '../embed.ts';
import { closeExplorer } from '../registry.ts';
import { addStyles } from '../styles.ts';

const styled = new WeakSet<ShadowRoot>();
const OPEN = { en: 'Open on TIME_WAIT, Explained', 'zh-cn': '在 TIME_WAIT 详解中打开' };

function mount(root: ShadowRoot, container: HTMLElement, options: MountOptions): () => void {
  if (!styled.has(root)) {
    styled.add(root);
    addStyles(root, widgetCss);
  }
  const chapter = `${options.site}${options.lang === 'zh-cn' ? 'zh-cn/' : ''}${closeExplorer.chapter}`;
  const link = (state: CloseState | undefined) =>
    state ? `${chapter}#${closeExplorer.stateKey}=${encodeState(state)}` : chapter;
  const draw = (state: CloseState | undefined) =>
    render(
      <>
        <CloseExplorer
          id={closeExplorer.stateKey}
          lang={options.lang}
          scenarios={scenarios}
          syncUrl={false}
          initialState={options.state as Partial<CloseState>}
          onStateChange={(s) => {
            const a = root.querySelector<HTMLAnchorElement>('a.twg-embed-credit-link');
            if (a) a.href = link(s);
          }}
        />
        <span class="twg-embed-credit">
          <a class="twg-embed-credit-link" href={link(state)} target="_blank" rel="noopener">
            {OPEN[options.lang]}
          </a>
        </span>
      </>,
      container,
    );
  draw(undefined);
  return () => render(null, container);
}

(window as unknown as { twgEmbed?: EmbedGlobal }).twgEmbed?.define('close-explorer', { mount });
