/**
 * Configurator — the Embed page's code generator: pick a widget, its experiment, size, theme and
 * language, and copy the code for each form (iframe, custom element, oEmbed link, image). A widget's
 * "copy embed code" button brings the reader here with the widget's current state in the fragment
 * (`#cfg=<base64url JSON>`: { w, a: attributes, theme, lang, width, height }); a malformed fragment
 * shows a short message and the defaults.
 *
 * Props: `lang` ('en' | 'zh-CN'), `site` (absolute base URL of the site, ending with '/'), `labs` or
 * `labsFrom` (the chapter labs that can be embedded, with their choices and homes, or the id of a JSON
 * script holding them: EmbedConfigurator.astro builds the list at build time, so no scenario ships).
 */
import type { JSX } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { escapeAttr, iframeHtml } from '../../src/embed/oembed.ts';
import { PLAYGROUND_DEFAULT, PLAYGROUND_PRESETS } from '../../src/embed/playground-meta.ts';
import {
  type EmbedLang,
  type EmbedTheme,
  imagePath,
  oembedPath,
  RESIZE_PATH,
  SCRIPT_PATH,
  THEMES,
} from '../../src/embed/protocol.ts';
import { type LabEmbedState, WIDGETS, widgetByName } from '../../src/embed/registry.ts';
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
    lab: 'Lab',
    variant: 'Variant',
    rate: 'Rate (connections/s)',
    ports: 'Port range (ports)',
    pool: 'Pool',
    pools: (n: number) => (n === 0 ? 'One connection per request' : `A pool of ${n}`),
    preset: 'Start from',
    seed: 'Seed (empty: the preset’s)',
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
    lab: '实验',
    variant: '变体',
    rate: '速率（连接/秒）',
    ports: '端口范围（个）',
    pool: '连接池',
    pools: (n: number) => (n === 0 ? '每个请求一条连接' : `${n} 条连接的池`),
    preset: '起始场景',
    seed: '随机种子（留空：沿用场景的）',
  },
};

/** A chapter lab as the configurator offers it (EmbedConfigurator.astro builds the list). */
export interface LabChoice {
  name: string;
  title: { en: string; 'zh-cn': string };
  /** Its home: the chapter (below the language prefix), the chapter's title, and the lab's key there. */
  chapter: string;
  /** In the page's language (the configurator's own labels are). */
  chapterTitle: string;
  id: string;
  kind: 'scenario' | 'load';
  /** Keys and labels (in the page's language). */
  variants?: { key: string; label: string }[];
  initial?: string;
  /** Each variant's opening seed and instant, to complete a state the attributes give in part. */
  defaults?: Record<string, { s: number; t: number }>;
  rates?: number[];
  ranges?: number[];
  pools?: number[];
  rate?: number;
  range?: number;
  pool?: number;
}

/**
 * The state to put in the fragment of the lab's iframe and chapter links, complete as the chapter's lab
 * checks it (ScenarioLab: v s t d; LoadLab: r p k), or undefined when the attributes set nothing.
 */
export function labFragmentState(lab: LabChoice, s: LabEmbedState): unknown {
  if (lab.kind === 'load') {
    if (s.r === undefined && s.p === undefined && s.k === undefined) return undefined;
    return { r: s.r ?? lab.rate, p: s.p ?? lab.range, k: s.k ?? lab.pool ?? 0 };
  }
  if (s.v === undefined && s.s === undefined && s.t === undefined && s.d === undefined) return undefined;
  const v = s.v ?? lab.initial ?? lab.variants?.[0]?.key ?? '';
  const d = lab.defaults?.[v];
  if (!d) return undefined;
  return { v, s: s.s ?? d.s, t: s.t ?? d.t, d: s.d ?? [] };
}

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

export function embedCodes(config: Config, site: string, labs: readonly LabChoice[] = []) {
  const widget = widgetByName(config.w) ?? WIDGETS[0];
  if (!widget) throw new Error('no embeddable widgets are registered');
  const parsed = widget.parse(config.a);
  let fragment = '';
  let chapterPath = widget.chapter;
  let instance: { name: string; title: string } | undefined;
  if (widget.instances) {
    // A lab: its own frame, image and oEmbed; its home chapter and its key there.
    const lab = parsed.ok ? labs.find((l) => l.name === (parsed.value as LabEmbedState).lab) : undefined;
    if (lab && parsed.ok) {
      instance = { name: lab.name, title: lab.title[config.lang] };
      chapterPath = lab.chapter;
      const state = labFragmentState(lab, parsed.value as LabEmbedState);
      if (state !== undefined) fragment = `${lab.id}=${encodeState(state)}`;
    }
  } else if (widget.name === 'playground') {
    const p = parsed.ok ? (parsed.value as { p?: string; seed?: number }) : {};
    if (p.p !== undefined || p.seed !== undefined)
      fragment = `${widget.stateKey}=${encodeState({ v: 1, p: p.p ?? PLAYGROUND_DEFAULT, k: p.seed !== undefined ? { seed: p.seed } : {} })}`;
  } else if (parsed.ok && Object.keys(config.a).length > 0) {
    fragment = `${widget.stateKey}=${encodeState(parsed.value)}`;
  }
  const frame = iframeHtml(widget, config.lang, site, {
    theme: config.theme,
    fragment,
    width: config.width,
    height: config.height,
    ...(instance ? { instance } : {}),
  });
  const attrs = Object.entries({
    ...config.a,
    lang: config.lang,
    ...(config.theme === 'auto' ? {} : { theme: config.theme }),
  })
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join('');
  const chapter = `${site}${config.lang === 'zh-cn' ? 'zh-cn/' : ''}${chapterPath}${fragment ? `#${fragment}` : ''}`;
  const title = instance?.title ?? widget.title[config.lang];
  return {
    iframe: `${frame}\n<script src="${site}${RESIZE_PATH}" async></script>`,
    element: `<script src="${site}${SCRIPT_PATH}" async></script>\n<tw-${widget.name}${attrs}></tw-${widget.name}>`,
    oembed: chapter,
    oembedJson: `${site}${oembedPath(widget.name, config.lang, instance?.name)}`,
    image: `[![${title.replace(/[[\]]/g, '')}](${site}${imagePath(widget.name, instance?.name)})](${chapter})`,
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

export function Configurator({
  lang,
  site,
  labs: given,
  labsFrom,
}: {
  lang: string;
  site: string;
  labs?: LabChoice[];
  /**
   * Or the id of a `<script type="application/json">` holding them: read on the client only, so the
   * list is not serialized twice into the page as island props. The first render (the close explorer)
   * does not show it, so the server's HTML and the hydrated render agree.
   */
  labsFrom?: string;
}): JSX.Element {
  const [labs] = useState<LabChoice[]>(() => {
    if (given) return given;
    const el = labsFrom && typeof document !== 'undefined' ? document.getElementById(labsFrom) : null;
    try {
      return el?.textContent ? (JSON.parse(el.textContent) as LabChoice[]) : [];
    } catch {
      return [];
    }
  });
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
  const codes = useMemo(() => embedCodes(config, site, labs), [config, site, labs]);
  const widget = widgetByName(config.w);
  const set = (patch: Partial<Config>) => setConfig((c) => ({ ...c, ...patch }));
  const closer = config.a.closer ?? 'client';
  const lab = widget?.name === 'lab' ? (labs.find((l) => l.name === config.a.lab) ?? labs[0]) : undefined;
  // Chapters in reading order (the list comes sorted), each with its labs.
  const chapters: [string, LabChoice[]][] = [];
  for (const l of labs) {
    const last = chapters[chapters.length - 1];
    if (last && last[0] === l.chapter) last[1].push(l);
    else chapters.push([l.chapter, [l]]);
  }
  /** Set one attribute of the lab (undefined: back to the lab's default), keeping the others. */
  const setLabAttr = (name: string, value: string | undefined) => {
    const a: Record<string, string> = { ...config.a, lab: lab?.name ?? '' };
    if (value === undefined) delete a[name];
    else a[name] = value;
    set({ a });
  };
  const select = (e: Event) => (e.currentTarget as HTMLSelectElement).value;
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
              const a: Record<string, string> = w?.name === 'lab' && labs[0] ? { lab: labs[0].name } : {};
              if (w) set({ w: w.name, a, width: w.width, height: w.height });
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
        {widget?.name === 'playground' && (
          <>
            <label>
              {L.preset}
              <select
                value={config.a.preset ?? PLAYGROUND_DEFAULT}
                onChange={(e) => {
                  const { preset: _p, ...rest } = config.a;
                  const v = select(e);
                  set({ a: v === PLAYGROUND_DEFAULT ? rest : { ...rest, preset: v } });
                }}
              >
                {PLAYGROUND_PRESETS.map((p) => (
                  <option value={p}>{p}</option>
                ))}
              </select>
            </label>
            <label>
              {L.seed}
              <input
                type="number"
                min={0}
                max={999999}
                step={1}
                value={config.a.seed ?? ''}
                onChange={(e) => {
                  const { seed: _s, ...rest } = config.a;
                  const v = (e.currentTarget as HTMLInputElement).value.trim();
                  const n = Number(v);
                  set({
                    a:
                      v !== '' && Number.isInteger(n) && n >= 0 && n <= 999999
                        ? { ...rest, seed: String(n) }
                        : rest,
                  });
                }}
              />
            </label>
          </>
        )}
        {lab && (
          <label>
            {L.lab}
            <select value={lab.name} onChange={(e) => set({ a: { lab: select(e) } })}>
              {chapters.map(([chapter, list]) => (
                <optgroup key={chapter} label={list[0]?.chapterTitle ?? chapter}>
                  {list.map((l) => (
                    <option value={l.name}>{l.title[pageLang]}</option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
        )}
        {lab?.kind === 'scenario' && (lab.variants?.length ?? 0) > 1 && (
          <label>
            {L.variant}
            <select
              value={config.a.variant ?? lab.initial}
              onChange={(e) => {
                const v = select(e);
                // Another variant opens on its own instant and seed, as on the chapter.
                const { seed: _s, t: _t, drop: _d, ...rest } = config.a;
                set({
                  a: v === lab.initial ? { ...rest, lab: lab.name } : { ...rest, lab: lab.name, variant: v },
                });
              }}
            >
              {lab.variants?.map((v) => (
                <option value={v.key}>{v.label}</option>
              ))}
            </select>
          </label>
        )}
        {lab?.kind === 'load' &&
          (
            [
              ['rate', L.rate, lab.rates, lab.rate, (n: number) => String(n)],
              ['ports', L.ports, lab.ranges, lab.range, (n: number) => String(n)],
              ['pool', L.pool, lab.pools, lab.pool, L.pools],
            ] as const
          ).map(([name, label, list, fallback, show]) =>
            (list?.length ?? 0) > 1 ? (
              <label key={name}>
                {label}
                <select
                  value={config.a[name] ?? String(fallback)}
                  onChange={(e) => {
                    const v = select(e);
                    setLabAttr(name, v === String(fallback) ? undefined : v);
                  }}
                >
                  {list?.map((n) => (
                    <option value={String(n)}>{show(n)}</option>
                  ))}
                </select>
              </label>
            ) : null,
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
