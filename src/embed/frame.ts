// Runs inside the iframe page (embed/v1/<widget>/). Keeps the "open on TIME_WAIT, Explained" link
// pointing at the widget's current state, and reports the content's height to a host page that runs
// resize.js. It answers only a hello from its own parent window, and only to that window's origin.
import { isHelloMessage, MAX_FRAME_HEIGHT, type ResizeMessage } from './protocol.ts';

/** base64url(UTF-8 JSON), as components/widgets/runtime/urlState.ts encodes states. */
function encode(value: unknown): string {
  let bin = '';
  for (const b of new TextEncoder().encode(JSON.stringify(value))) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The widget's "copy embed code" button (`twg:embed`, { widget, state }): a frame cannot take its host
 * page elsewhere, so the Embed page's configurator opens in a new tab with the widget's state.
 */
function answerEmbedButton(): void {
  const { twgWidget: widget, twgLab: lab, twgLang: lang, twgSite: site } = document.body.dataset;
  if (!widget || !site) return;
  document.addEventListener('twg:embed', (e) => {
    const d = (e as CustomEvent<{ widget: string; state: unknown }>).detail;
    if (!d) return;
    const isLab = d.widget === 'scenario-lab' || d.widget === 'load-lab';
    if (isLab !== (widget === 'lab') || (!isLab && d.widget !== widget)) return;
    e.preventDefault();
    const state = isLab ? { ...(d.state as object), lab } : d.state;
    const cfg = encode({ w: widget, state, lang });
    window.open(`${site}${lang === 'zh-cn' ? 'zh-cn/' : ''}embed/#cfg=${cfg}`, '_blank', 'noopener');
  });
}

export function startFrame(): void {
  answerEmbedButton();
  // The link back carries the widget's state, which the widget keeps in this page's fragment.
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-twg-open]')) {
    const target = a.dataset.twgOpen ?? a.href;
    const update = () => {
      a.href = target + location.hash;
    };
    for (const type of ['pointerenter', 'focus', 'click', 'contextmenu']) a.addEventListener(type, update);
    update();
  }

  if (window.parent === window) return;
  let hostOrigin: string | undefined;
  let last = 0;
  const report = () => {
    if (!hostOrigin) return;
    // A taller page (the playground on a narrow column) asks for the most a host grants and scrolls
    // inside the frame; asking for more would be refused as a whole (isResizeMessage).
    const height = Math.min(
      Math.ceil(document.documentElement.getBoundingClientRect().height),
      MAX_FRAME_HEIGHT,
    );
    if (height === last) return;
    last = height;
    const message: ResizeMessage = { type: 'twg:resize', v: 1, height };
    window.parent.postMessage(message, hostOrigin);
  };
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || !isHelloMessage(event.data)) return;
    // A sandboxed host without allow-same-origin has the opaque origin "null": nothing can be sent to it.
    if (event.origin === 'null') return;
    hostOrigin = event.origin;
    last = 0;
    report();
  });
  new ResizeObserver(report).observe(document.documentElement);
}
