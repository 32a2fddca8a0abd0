// Runs inside the iframe page (embed/v1/<widget>/). Keeps the "open on TIME_WAIT, Explained" link
// pointing at the widget's current state, and reports the content's height to a host page that runs
// resize.js. It answers only a hello from its own parent window, and only to that window's origin.
import { isHelloMessage, type ResizeMessage } from './protocol.ts';

export function startFrame(): void {
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
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
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
