// embed/v1/playground.js — the playground inside a <tw-playground> shadow root. Loaded by embed.js when
// such an element comes into view; registers itself with window.twgEmbed. The playground is mounted as
// it is (components/widgets/Playground.tsx, props lang and id); its presets are bundled here.
//
// Built with `location`/`history` bound to ./page-url.ts (its `#pg=` state lives in a virtual fragment,
// and its "copy link" gives the playground page on the site) and `Worker` absent (./no-worker.ts).
import { render } from 'preact';
import '../../../components/widgets/runtime/i18n-all.ts';
import chartCss from '../../../components/widgets/chart/chart.css?raw';
import knobsCss from '../../../components/widgets/knobs/knobs.css?raw';
import { Playground } from '../../../components/widgets/Playground.tsx';
import playgroundCss from '../../../components/widgets/playground/playground.css?raw';
import { encodeState, hashValue, withHashValue } from '../../../components/widgets/runtime/urlState.ts';
import widgetCss from '../../../components/widgets/widgets.css?raw';
import type { EmbedGlobal, MountOptions } from '../embed.ts';
import { PLAYGROUND_DEFAULT } from '../playground-meta.ts';
import { playground } from '../registry.ts';
import { answerEmbedButton, langPrefix, OPEN, styleOnce } from './common.tsx';
import { virtualPage } from './page-url.ts';

function mount(root: ShadowRoot, container: HTMLElement, options: MountOptions): () => void {
  styleOnce(root, 'widgets', widgetCss);
  styleOnce(root, 'chart', chartCss);
  styleOnce(root, 'knobs', knobsCss);
  styleOnce(root, 'playground', playgroundCss);
  const lang = options.lang;
  const chapter = `${options.site}${langPrefix(lang)}${playground.chapter}`;
  // The playground's state key is fixed (`pg`): two playgrounds on one page share it.
  virtualPage.setBase(chapter);
  const state = options.state as { p?: string; seed?: number };
  const first =
    state.p !== undefined || state.seed !== undefined
      ? encodeState({
          v: 1,
          p: state.p ?? PLAYGROUND_DEFAULT,
          k: state.seed !== undefined ? { seed: state.seed } : {},
        })
      : undefined;
  virtualPage.setHash(withHashValue(virtualPage.hash(), playground.stateKey, first));
  const link = () => {
    const value = hashValue(virtualPage.hash(), playground.stateKey);
    return value ? `${chapter}#${playground.stateKey}=${value}` : chapter;
  };
  const stopAnswering = answerEmbedButton(container, options.site, lang, (d) =>
    d.widget === 'playground' ? { w: 'playground', state: d.state } : undefined,
  );
  render(
    <>
      <Playground lang={lang} id="pg" />
      <span class="twg-embed-credit">
        <a class="twg-embed-credit-link" href={link()} target="_blank" rel="noopener">
          {OPEN[lang]}
        </a>
      </span>
    </>,
    container,
  );
  const unsubscribe = virtualPage.subscribe(() => {
    const a = root.querySelector<HTMLAnchorElement>('a.twg-embed-credit-link');
    if (a) a.href = link();
  });
  return () => {
    unsubscribe();
    stopAnswering();
    render(null, container);
  };
}

(window as unknown as { twgEmbed?: EmbedGlobal }).twgEmbed?.define('playground', { mount });
