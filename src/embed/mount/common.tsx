// What the widget files share: styles once per shadow root, the "open on the site" link, and the
// widget's "copy embed code" button, which inside an embed opens the site's configurator in a new tab.
import { encodeState } from '../../../components/widgets/runtime/urlState.ts';
import type { EmbedLang } from '../protocol.ts';
import { addStyles } from '../styles.ts';

export const OPEN = { en: 'Open on TIME_WAIT, Explained', 'zh-cn': '在 TIME_WAIT 详解中打开' };
export const LOADING = { en: 'Loading the lab…', 'zh-cn': '正在加载实验……' };

const styled = new WeakMap<ShadowRoot, Set<string>>();

/** Add each stylesheet to the shadow root once (elements remount when their attributes change). */
export function styleOnce(root: ShadowRoot, name: string, css: string): void {
  const done = styled.get(root) ?? new Set<string>();
  styled.set(root, done);
  if (done.has(name)) return;
  done.add(name);
  addStyles(root, css);
}

export const langPrefix = (lang: EmbedLang) => (lang === 'zh-cn' ? 'zh-cn/' : '');

/**
 * A widget's EmbedButton dispatches `twg:embed` ({ widget, state }, composed). Inside an embed nobody on
 * the host page knows it, so the element answers it: the Embed page's configurator opens in a new tab
 * with the state (`#cfg=`, as src/embed/route-data.ts sends it from a chapter).
 */
export function answerEmbedButton(
  container: HTMLElement,
  site: string,
  lang: EmbedLang,
  toConfig: (detail: { widget: string; state: unknown }) => { w: string; state: unknown } | undefined,
): () => void {
  const onEmbed = (e: Event) => {
    const detail = (e as CustomEvent<{ widget: string; state: unknown }>).detail;
    const cfg = detail ? toConfig(detail) : undefined;
    if (!cfg) return;
    e.preventDefault();
    const url = `${site}${langPrefix(lang)}embed/#cfg=${encodeState({ ...cfg, lang })}`;
    window.open(url, '_blank', 'noopener');
  };
  container.addEventListener('twg:embed', onEmbed);
  return () => container.removeEventListener('twg:embed', onEmbed);
}
