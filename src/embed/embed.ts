// embed/v1/embed.js — defines a custom element for every embeddable widget:
//   <script src="https://SITE/embed/v1/embed.js" async></script>
//   <tw-close-explorer closer="server" t="1.5s" lang="zh-cn" theme="dark"></tw-close-explorer>
//
// Classic scripts, not modules: a module script from another origin needs CORS headers, which many
// static hosts do not send, and an embed must work wherever the site is hosted. So embed.js and each
// widget's file are self-contained IIFEs; a widget file registers itself with `window.twgEmbed`.
//
// Each element renders in its own shadow root, so the host page's CSS cannot reach in (the reset is
// in theme.ts), and loads its widget's code only when it comes near the viewport. This file holds no
// widget code: it stays small (a size test keeps it under 15 KB gzipped). Bad attribute values show a
// short message inside the element, naming the attribute and what it accepts.
import { type EmbedLang, type EmbedTheme, THEMES } from './protocol.ts';
import { type EmbeddableWidget, WIDGETS } from './registry.ts';
import { addStyles } from './styles.ts';
import { HOST_RESET, themeCss } from './theme.ts';

/** What a widget file (embed/v1/<widget>.js) registers. */
export interface WidgetModule {
  mount(root: ShadowRoot, container: HTMLElement, options: MountOptions): () => void;
}

export interface MountOptions {
  lang: EmbedLang;
  state: unknown;
  /** The site's base URL (ends with /), for the "open on the site" link. */
  site: string;
  /**
   * Load a data file of this site's embeds (`lab/<lab>` → embed/v1/lab/<lab>.js), once per page: a
   * classic script that hands its value to `twgEmbed.data()`. Scripts, not fetch(), because a fetch
   * from the host's origin would need CORS headers that a static host may not send.
   */
  load(path: string): Promise<unknown>;
}

/** The global a widget file registers with (see src/embed/mount/*.tsx). */
export interface EmbedGlobal {
  define(name: string, widget: WidgetModule): void;
  /** Called by a data file (see MountOptions.load). */
  data(path: string, value: unknown): void;
}

// document.currentScript is this script while it runs (also with async); later it is gone.
const SCRIPT_URL =
  (document.currentScript as HTMLScriptElement | null)?.src ??
  document.querySelector<HTMLScriptElement>('script[src*="/embed/v1/embed.js"]')?.src ??
  location.href;
const SITE = new URL('../../', SCRIPT_URL).href;

// Widget files register under `widget:<name>`, data files under `data:<path>`.
const loaded = new Map<string, Promise<unknown>>();
const waiting = new Map<string, (value: unknown) => void>();
const settle = (key: string, value: unknown) => {
  waiting.get(key)?.(value);
  waiting.delete(key);
};
const registry: EmbedGlobal = {
  define: (name, widget) => settle(`widget:${name}`, widget),
  data: (path, value) => settle(`data:${path}`, value),
};
(window as unknown as { twgEmbed: EmbedGlobal }).twgEmbed = registry;

/** Append `embed/v1/<file>.js` once and wait for it to register `key`. */
function loadScript(key: string, file: string): Promise<unknown> {
  let p = loaded.get(key);
  if (!p) {
    p = new Promise<unknown>((resolve, reject) => {
      waiting.set(key, resolve);
      const script = document.createElement('script');
      script.src = new URL(`./${file}.js`, SCRIPT_URL).href;
      script.async = true;
      script.onerror = () => {
        // A later element may try again (a flaky network), so forget the failure.
        loaded.delete(key);
        reject(new Error(`${script.src} did not load`));
      };
      document.head.append(script);
    });
    loaded.set(key, p);
  }
  return p;
}

const loadWidget = (name: string) => loadScript(`widget:${name}`, name) as Promise<WidgetModule>;
const loadData = (path: string) => {
  if (!/^[a-z0-9-]+\/[a-z0-9-]+$/.test(path)) return Promise.reject(new Error(`bad data path ${path}`));
  return loadScript(`data:${path}`, path);
};
const BASE_CSS = `${themeCss(':host')}\n${HOST_RESET}`;

const escapeText = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function defineElement(widget: EmbeddableWidget): void {
  const tag = `tw-${widget.name}`;
  if (customElements.get(tag)) return;
  const observed = ['lang', 'theme', ...Object.keys(widget.attributes)];

  class TwWidget extends HTMLElement {
    static get observedAttributes() {
      return observed;
    }
    #root: ShadowRoot | undefined;
    #container: HTMLElement | undefined;
    #unmount: (() => void) | undefined;
    #observer: IntersectionObserver | undefined;
    #visible = false;
    /** The settings the mounted widget was started with: the same settings never remount it. */
    #mounted: string | undefined;

    connectedCallback(): void {
      if (!this.#root) {
        this.#root = this.attachShadow({ mode: 'open' });
        addStyles(this.#root, BASE_CSS);
        this.#container = document.createElement('div');
        this.#container.className = 'twg-embed';
        this.#root.append(this.#container);
      }
      // Attributes are checked at once, so a mistake shows even below the fold; the widget's code
      // loads only when the element nears the viewport.
      if (!this.#check()) return;
      if (this.#visible) return void this.#render();
      this.#container?.style.setProperty('min-height', `${Math.min(widget.height, 600)}px`);
      this.#observer?.disconnect();
      this.#observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((e) => e.isIntersecting)) return;
          this.#observer?.disconnect();
          this.#visible = true;
          void this.#render();
        },
        { rootMargin: '200px' },
      );
      this.#observer.observe(this);
    }

    disconnectedCallback(): void {
      this.#observer?.disconnect();
      this.#unmount?.();
      this.#unmount = undefined;
      this.#mounted = undefined;
    }

    attributeChangedCallback(): void {
      if (!this.isConnected || !this.#root) return;
      if (this.#visible) void this.#render();
      else this.connectedCallback();
    }

    #problem(text: string): void {
      this.#unmount?.();
      this.#unmount = undefined;
      this.#mounted = undefined;
      if (!this.#container) return;
      this.#container.style.removeProperty('min-height');
      this.#container.innerHTML = `<p class="twg-embed-problem" role="alert">${text}</p>`;
    }

    /** The element's settings, or undefined after showing what is wrong with them. */
    #check(): MountOptions | undefined {
      const lang = this.getAttribute('lang') ?? document.documentElement.lang ?? 'en';
      const embedLang: EmbedLang = lang.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
      const theme = (this.getAttribute('theme') ?? 'auto') as EmbedTheme;
      if (!THEMES.includes(theme)) {
        this.#problem(
          `&lt;${tag}&gt;: <code>theme="${escapeText(theme)}"</code> is not one of ${THEMES.join(', ')}.`,
        );
        return undefined;
      }
      const attrs: Record<string, string | null> = {};
      for (const name of Object.keys(widget.attributes)) attrs[name] = this.getAttribute(name);
      const parsed = widget.parse(attrs);
      if (!parsed.ok) {
        const { attribute, value, expected } = parsed.problem;
        this.#problem(
          `&lt;${tag}&gt;: <code>${attribute}="${escapeText(value)}"</code> is not valid; expected ${escapeText(expected)}.`,
        );
        return undefined;
      }
      if (this.#container?.querySelector('.twg-embed-problem')) this.#container.innerHTML = '';
      return { lang: embedLang, state: parsed.value, site: SITE, load: loadData };
    }

    async #render(): Promise<void> {
      const container = this.#container;
      const root = this.#root;
      const options = this.#check();
      if (!container || !root || !options) return;
      const key = JSON.stringify([options.lang, options.state]);
      if (key === this.#mounted) return;
      this.#mounted = key;
      try {
        const mod = await loadWidget(widget.name);
        if (this.#mounted !== key) return; // settings changed while the code loaded
        this.#unmount?.();
        container.innerHTML = '';
        container.style.removeProperty('min-height');
        this.#unmount = mod.mount(root, container, options);
      } catch (e) {
        this.#problem(
          `&lt;${tag}&gt; could not load: ${escapeText(e instanceof Error ? e.message : String(e))}`,
        );
      }
    }
  }
  customElements.define(tag, TwWidget);
}

for (const w of WIDGETS) defineElement(w);
