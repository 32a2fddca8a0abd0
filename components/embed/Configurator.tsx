/**
 * Configurator — the Embed page's code generator: pick a widget, its experiment, size, theme and
 * language, and copy the code for each form (iframe, custom element, oEmbed link, image). A widget's
 * "copy embed code" button brings the reader here with the widget's current state in the fragment
 * (`#cfg=<base64url JSON>`: { w, a: attributes, theme, lang, width, height }); a malformed fragment
 * shows a short message and the defaults.
 *
 * Props: `lang` ('en' | 'zh-CN'), `site` (absolute base URL of the site, ending with '/').
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { iframeHtml } from '../../src/embed/oembed.ts';
import {
  type EmbedLang,
  type EmbedTheme,
  imagePath,
  oembedPath,
  RESIZE_PATH,
  SCRIPT_PATH,
  THEMES,
} from '../../src/embed/protocol.ts';
import { WIDGETS, widgetByName } from '../../src/embed/registry.ts';
import { decodeState, encodeState, hashValue } from '../widgets/runtime/urlState.ts';

const T = {
  en: {
    widget: 'Widget',
    closer: 'Experiment',
    closers: { client: 'Client closes first', server: 'Server closes first', both: 'Simultaneous close' },
    width: 'Width (px)',
    height: 'Height (px)',
    theme: 'Theme',
    themes: { auto: "Reader's preference", light: 'Light', dark: 'Dark' },
    language: 'Language',
    languages: { en: 'English', 'zh-cn': '简体中文' },
    iframe: 'iframe (works almost everywhere HTML is allowed)',
    element: 'Custom element (script allowed; Shadow DOM keeps your CSS out)',
    oembed: 'oEmbed (paste this link where the editor supports oEmbed discovery)',
    image: 'Image with a link (Markdown, or hosts that allow only images)',
    copy: 'Copy',
    copied: 'Copied',
    copyFailed: 'Select the text and copy it',
    state: 'Embedding the state the widget was in when you pressed its button.',
    badState: (why: string) => `The settings in this link could not be used (${why}); showing the defaults.`,
    open: 'Open on TIME_WAIT, Explained',
  },
  'zh-CN': {
    widget: '组件',
    closer: '实验',
    closers: { client: '客户端先关闭', server: '服务器先关闭', both: '同时关闭' },
    width: '宽度（像素）',
    height: '高度（像素）',
    theme: '配色',
    themes: { auto: '跟随读者设置', light: '浅色', dark: '深色' },
    language: '语言',
    languages: { en: 'English', 'zh-cn': '简体中文' },
    iframe: 'iframe（几乎所有允许 HTML 的地方都能用）',
    element: '自定义元素（需要允许 script；Shadow DOM 隔离你的 CSS）',
    oembed: 'oEmbed（粘贴到支持 oEmbed 自动发现的编辑器里）',
    image: '带链接的图片（Markdown，或只允许图片的平台）',
    copy: '复制',
    copied: '已复制',
    copyFailed: '请选中文本后手动复制',
    state: '下面的代码嵌入的是你点击组件按钮时它所处的状态。',
    badState: (why: string) => `链接里的设置无法使用（${why}），已改用默认设置。`,
    open: '在 TIME_WAIT 详解中打开',
  },
};

interface Config {
  w: string;
  a: Record<string, string>;
  theme: EmbedTheme;
  lang: EmbedLang;
  width: number;
  height: number;
}

const clampInt = (v: unknown, min: number, max: number, fallback: number) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : fallback;

/** A configuration from the fragment, or the reason it was refused. Never throws. */
export function readConfig(hash: string, lang: EmbedLang): { config: Config; problem?: string } {
  const first = WIDGETS[0];
  if (!first) throw new Error('no embeddable widgets are registered');
  const fallback: Config = {
    w: first.name,
    a: {},
    theme: 'auto',
    lang,
    width: first.width,
    height: first.height,
  };
  const raw = hashValue(hash, 'cfg');
  if (raw === undefined) return { config: fallback };
  const decoded = decodeState(raw);
  if (!decoded.ok) return { config: fallback, problem: decoded.problem.kind };
  const v = decoded.value as Record<string, unknown>;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { config: fallback, problem: 'shape' };
  const widget = typeof v.w === 'string' ? widgetByName(v.w) : undefined;
  if (!widget) return { config: fallback, problem: 'widget' };
  const attrs: Record<string, string> = {};
  if (typeof v.a === 'object' && v.a !== null && !Array.isArray(v.a)) {
    for (const [k, x] of Object.entries(v.a))
      if (k in widget.attributes && typeof x === 'string') attrs[k] = x;
  } else if (v.state !== undefined) {
    Object.assign(attrs, widget.toAttributes(v.state));
  }
  const parsed = widget.parse(attrs);
  if (!parsed.ok) return { config: fallback, problem: `${parsed.problem.attribute}` };
  return {
    config: {
      w: widget.name,
      a: attrs,
      theme: THEMES.includes(v.theme as EmbedTheme) ? (v.theme as EmbedTheme) : 'auto',
      lang: v.lang === 'zh-cn' || v.lang === 'en' ? v.lang : lang,
      width: clampInt(v.width, 240, 2000, widget.width),
      height: clampInt(v.height, 200, 4000, widget.height),
    },
  };
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

export function embedCodes(config: Config, site: string) {
  const widget = widgetByName(config.w) ?? WIDGETS[0];
  if (!widget) throw new Error('no embeddable widgets are registered');
  const parsed = widget.parse(config.a);
  const fragment =
    parsed.ok && Object.keys(config.a).length > 0 ? `${widget.stateKey}=${encodeState(parsed.value)}` : '';
  const frame = iframeHtml(widget, config.lang, site, {
    theme: config.theme,
    fragment,
    width: config.width,
    height: config.height,
  });
  const attrs = Object.entries({
    ...config.a,
    lang: config.lang,
    ...(config.theme === 'auto' ? {} : { theme: config.theme }),
  })
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  const chapter = `${site}${config.lang === 'zh-cn' ? 'zh-cn/' : ''}${widget.chapter}${fragment ? `#${fragment}` : ''}`;
  return {
    iframe: `${frame}\n<script src="${site}${RESIZE_PATH}" async></script>`,
    element: `<script src="${site}${SCRIPT_PATH}" async></script>\n<tw-${widget.name}${attrs}></tw-${widget.name}>`,
    oembed: chapter,
    oembedJson: `${site}${oembedPath(widget.name, config.lang)}`,
    image: `[![${widget.title[config.lang]}](${site}${imagePath(widget.name)})](${chapter})`,
  };
}

function CopyBox({ id, label, text, L }: { id: string; label: string; text: string; L: (typeof T)['en'] }) {
  const [status, setStatus] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(L.copied);
    } catch {
      setStatus(L.copyFailed);
    }
  };
  return (
    <div class="twg-cfg-code">
      <label for={id}>{label}</label>
      <textarea id={id} readOnly rows={text.split('\n').length + 1} value={text} spellcheck={false} />
      <button type="button" onClick={copy}>
        {L.copy}
      </button>
      <span role="status">{status}</span>
    </div>
  );
}

export function Configurator({ lang, site }: { lang: string; site: string }): JSX.Element {
  const pageLang: EmbedLang = lang.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
  const L = pageLang === 'zh-cn' ? T['zh-CN'] : T.en;
  const [config, setConfig] = useState<Config>(() => readConfig('', pageLang).config);
  const [note, setNote] = useState('');
  useEffect(() => {
    const apply = () => {
      const { config: c, problem } = readConfig(location.hash, pageLang);
      setConfig(c);
      setNote(problem ? L.badState(problem) : hashValue(location.hash, 'cfg') ? L.state : '');
    };
    apply();
    addEventListener('hashchange', apply);
    return () => removeEventListener('hashchange', apply);
  }, [pageLang]);
  const codes = useMemo(() => embedCodes(config, site), [config, site]);
  const widget = widgetByName(config.w);
  const set = (patch: Partial<Config>) => setConfig((c) => ({ ...c, ...patch }));
  const closer = config.a.closer ?? 'client';
  return (
    <div class="twg-cfg not-content">
      {note && <p class="twg-cfg-note">{note}</p>}
      <div class="twg-cfg-fields">
        <label>
          {L.widget}
          <select
            value={config.w}
            onChange={(e) => {
              const w = widgetByName((e.currentTarget as HTMLSelectElement).value);
              if (w) set({ w: w.name, a: {}, width: w.width, height: w.height });
            }}
          >
            {WIDGETS.map((w) => (
              <option value={w.name}>{w.title[pageLang]}</option>
            ))}
          </select>
        </label>
        {widget?.name === 'close-explorer' && (
          <label>
            {L.closer}
            <select
              value={closer}
              onChange={(e) => {
                const c = (e.currentTarget as HTMLSelectElement).value;
                set({ a: c === 'client' ? {} : { closer: c } });
              }}
            >
              {(['client', 'server', 'both'] as const).map((c) => (
                <option value={c}>{L.closers[c]}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          {L.width}
          <input
            type="number"
            min={240}
            max={2000}
            step={10}
            value={config.width}
            onChange={(e) =>
              set({
                width: clampInt(Number((e.currentTarget as HTMLInputElement).value), 240, 2000, config.width),
              })
            }
          />
        </label>
        <label>
          {L.height}
          <input
            type="number"
            min={200}
            max={4000}
            step={10}
            value={config.height}
            onChange={(e) =>
              set({
                height: clampInt(
                  Number((e.currentTarget as HTMLInputElement).value),
                  200,
                  4000,
                  config.height,
                ),
              })
            }
          />
        </label>
        <label>
          {L.theme}
          <select
            value={config.theme}
            onChange={(e) => set({ theme: (e.currentTarget as HTMLSelectElement).value as EmbedTheme })}
          >
            {THEMES.map((t) => (
              <option value={t}>{L.themes[t]}</option>
            ))}
          </select>
        </label>
        <label>
          {L.language}
          <select
            value={config.lang}
            onChange={(e) => set({ lang: (e.currentTarget as HTMLSelectElement).value as EmbedLang })}
          >
            {(['en', 'zh-cn'] as const).map((l) => (
              <option value={l}>{L.languages[l]}</option>
            ))}
          </select>
        </label>
      </div>
      <CopyBox id="twg-cfg-iframe" label={L.iframe} text={codes.iframe} L={L} />
      <CopyBox id="twg-cfg-element" label={L.element} text={codes.element} L={L} />
      <CopyBox id="twg-cfg-oembed" label={L.oembed} text={codes.oembed} L={L} />
      <CopyBox id="twg-cfg-image" label={L.image} text={codes.image} L={L} />
    </div>
  );
}
