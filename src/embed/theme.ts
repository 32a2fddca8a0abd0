// The colours, fonts and sizes the widgets read (Starlight's custom properties, which the widgets'
// CSS uses), for places without Starlight's stylesheet: the iframe page (`:root`) and a custom
// element's shadow root (`:host`). Values are Starlight 0.42's defaults (dist/style/props.css), with
// sizes in px: in a shadow root, rem would follow the host page's root font size.
//
// Host pages theme an embedded widget through these documented custom properties, which inherit
// into the shadow root (custom properties cross the shadow boundary; nothing else from the host does):
//   --tw-accent, --tw-accent-high, --tw-accent-low   accent colour and its strong/weak variants
//   --tw-bg, --tw-text, --tw-border                  background, text, borders
//   --tw-font, --tw-font-mono, --tw-font-size        fonts and the base size
//   --tw-radius                                      corner radius of the widget's frame

const shared = `
  --sl-text-2xs: 12px; --sl-text-xs: 13px; --sl-text-sm: 14px; --sl-text-base: 16px; --sl-text-lg: 18px;
  --sl-font-system: -apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', 'Noto Sans',
    'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', Arial, sans-serif;
  --sl-font-system-mono: ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, 'Liberation Mono',
    'Courier New', monospace;
  --__sl-font: var(--tw-font, var(--sl-font-system));
  --__sl-font-mono: var(--tw-font-mono, var(--sl-font-system-mono));
  --sl-hue-orange: 41; --sl-hue-red: 339; --sl-hue-green: 101;
`;

const dark = `
  color-scheme: dark;
  --sl-color-white: hsl(0, 0%, 100%); --sl-color-gray-1: hsl(224, 20%, 94%);
  --sl-color-gray-2: hsl(224, 6%, 77%); --sl-color-gray-3: hsl(224, 6%, 56%);
  --sl-color-gray-4: hsl(224, 7%, 36%); --sl-color-gray-5: hsl(224, 10%, 23%);
  --sl-color-gray-6: hsl(224, 14%, 16%); --sl-color-black: hsl(224, 10%, 10%);
  --sl-color-orange-low: hsl(41, 39%, 22%); --sl-color-orange: hsl(41, 82%, 63%);
  --sl-color-orange-high: hsl(41, 82%, 87%);
  --sl-color-red-low: hsl(339, 39%, 22%); --sl-color-red: hsl(339, 82%, 63%);
  --sl-color-red-high: hsl(339, 82%, 87%);
  --sl-color-green-low: hsl(101, 39%, 22%); --sl-color-green: hsl(101, 82%, 63%);
  --sl-color-green-high: hsl(101, 82%, 80%);
  --sl-color-accent-low: var(--tw-accent-low, hsl(224, 54%, 20%));
  --sl-color-accent: var(--tw-accent, hsl(224, 100%, 60%));
  --sl-color-accent-high: var(--tw-accent-high, hsl(224, 100%, 85%));
  --sl-color-text: var(--tw-text, var(--sl-color-gray-2));
  --sl-color-bg: var(--tw-bg, var(--sl-color-black));
`;

const light = `
  color-scheme: light;
  --sl-color-white: hsl(224, 10%, 10%); --sl-color-gray-1: hsl(224, 14%, 16%);
  --sl-color-gray-2: hsl(224, 10%, 23%); --sl-color-gray-3: hsl(224, 7%, 36%);
  --sl-color-gray-4: hsl(224, 6%, 56%); --sl-color-gray-5: hsl(224, 6%, 77%);
  --sl-color-gray-6: hsl(224, 20%, 94%); --sl-color-gray-7: hsl(224, 19%, 97%);
  --sl-color-black: hsl(0, 0%, 100%);
  --sl-color-orange-high: hsl(41, 80%, 25%); --sl-color-orange: hsl(41, 90%, 60%);
  --sl-color-orange-low: hsl(41, 90%, 88%);
  --sl-color-red-high: hsl(339, 80%, 30%); --sl-color-red: hsl(339, 90%, 60%);
  --sl-color-red-low: hsl(339, 80%, 90%);
  --sl-color-green-high: hsl(101, 80%, 22%); --sl-color-green: hsl(101, 90%, 46%);
  --sl-color-green-low: hsl(101, 85%, 90%);
  --sl-color-accent-high: var(--tw-accent-high, hsl(234, 80%, 30%));
  --sl-color-accent: var(--tw-accent, hsl(234, 90%, 60%));
  --sl-color-accent-low: var(--tw-accent-low, hsl(234, 88%, 90%));
  --sl-color-text: var(--tw-text, var(--sl-color-gray-2));
  --sl-color-bg: var(--tw-bg, var(--sl-color-black));
`;

/**
 * CSS giving `selector` the widget variables. `themeAttr` is the attribute that forces a scheme
 * (`theme="dark"` on the element, `data-theme="dark"` on the iframe page's root); without it the
 * reader's `prefers-color-scheme` decides.
 */
export function themeCss(selector: ':host' | ':root'): string {
  const forced = (scheme: 'light' | 'dark') =>
    selector === ':host' ? `:host([theme='${scheme}'])` : `:root[data-theme='${scheme}']`;
  const auto = selector === ':host' ? ":host(:not([theme='light']))" : ":root:not([data-theme='light'])";
  return `${selector}{${shared}${light}}
@media (prefers-color-scheme: dark){${auto}{${dark}}}
${forced('dark')}{${dark}}
${forced('light')}{${light}}`;
}

/**
 * The shadow root's reset: a host page's inherited properties (font, colour, line-height, letter
 * spacing, text transforms) stop at the host element. `!important` because for important declarations
 * the shadow context beats the page's (CSS Cascade 5 §6.1, "context"), so even `* { all: unset }` or
 * `display: inline !important` on the page cannot unstyle the element itself.
 */
export const HOST_RESET = `:host{all:initial!important;display:block!important;contain:content!important;
box-sizing:border-box!important;font-family:var(--__sl-font)!important;font-size:var(--tw-font-size,16px)!important;
line-height:1.5!important;color:var(--sl-color-text)!important;text-align:start!important;direction:ltr!important;
visibility:visible!important;}
:host([hidden]){display:none!important}
*,*::before,*::after{box-sizing:border-box}
.twg{border-radius:var(--tw-radius,0.5rem)}
.twg-embed-problem{font:14px/1.5 var(--__sl-font);padding:0.75rem 1rem;border:1px solid var(--sl-color-red-high);
border-radius:var(--tw-radius,0.5rem);color:var(--sl-color-red-high);background:var(--sl-color-bg)}
.twg-embed-problem code{font-family:var(--__sl-font-mono)}
.twg-embed-credit{display:block;margin-top:0.25rem;font-size:var(--sl-text-xs);color:var(--sl-color-gray-3)}
.twg-embed-credit a{color:var(--sl-color-text-accent,var(--sl-color-accent-high))}`;
