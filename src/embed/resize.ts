// embed/v1/resize.js — optional script for a page that embeds widgets as iframes. It sizes every
// `<iframe data-twg-embed>` from this site to its content's height.
//
// Protocol (src/embed/protocol.ts): when a frame loads, this script sends it `{type:'twg:hello', v:1}`
// addressed to the site's origin only; the frame answers with `{type:'twg:resize', v:1, height}` addressed
// to the origin the hello came from, and again whenever its height changes. This script accepts a resize
// only when the message's origin is the site's and its source is one of the embed iframes, and caps the
// height (MAX_FRAME_HEIGHT). No cookies, no storage, no other requests.
import { type HelloMessage, isResizeMessage, MAX_FRAME_HEIGHT } from './protocol.ts';

// A classic script (see embed.ts for why): its own URL, hence the site's origin, from currentScript.
const SITE_ORIGIN = new URL(
  (document.currentScript as HTMLScriptElement | null)?.src ??
    document.querySelector<HTMLScriptElement>('script[src*="/embed/v1/resize.js"]')?.src ??
    location.href,
).origin;
const hello: HelloMessage = { type: 'twg:hello', v: 1 };

function frames(): HTMLIFrameElement[] {
  return [...document.querySelectorAll<HTMLIFrameElement>('iframe[data-twg-embed]')].filter((f) => {
    try {
      return new URL(f.src, location.href).origin === SITE_ORIGIN;
    } catch {
      return false;
    }
  });
}

function greet(frame: HTMLIFrameElement): void {
  frame.contentWindow?.postMessage(hello, SITE_ORIGIN);
}

const greeted = new WeakSet<HTMLIFrameElement>();
function watch(frame: HTMLIFrameElement): void {
  if (greeted.has(frame)) return;
  greeted.add(frame);
  frame.addEventListener('load', () => greet(frame));
  // The frame may have loaded before this script ran; a second hello is harmless.
  greet(frame);
}

window.addEventListener('message', (event) => {
  if (event.origin !== SITE_ORIGIN || !isResizeMessage(event.data)) return;
  const frame = frames().find((f) => f.contentWindow === event.source);
  if (!frame) return;
  frame.style.height = `${Math.min(Math.ceil(event.data.height), MAX_FRAME_HEIGHT)}px`;
});

const scan = () => {
  for (const f of frames()) watch(f);
};
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
else scan();
// Frames added later (a theme that loads comments or posts lazily).
new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
