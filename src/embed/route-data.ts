// Starlight route middleware: a chapter that hosts an embeddable widget announces the widget's oEmbed
// response, so a host that supports oEmbed discovery turns a pasted chapter link into the lab.
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { oembedPath } from './protocol.ts';
import { WIDGETS } from './registry.ts';

/**
 * A widget's "copy embed code" button dispatches `twg:embed` ({ widget, state }); this takes the reader to
 * the Embed page's configurator with that state (`#cfg=`, base64url JSON, as components/embed/Configurator.tsx
 * reads it). Inline and tiny, so pages with widgets need no extra request. Widgets that cannot be embedded
 * are left alone (their button copies a link to the state instead).
 */
function embedListener(configurator: string, lang: string): string {
  const names = JSON.stringify(WIDGETS.map((w) => w.name));
  return `document.addEventListener('twg:embed',function(e){var d=e.detail;if(!d||${names}.indexOf(d.widget)<0)return;e.preventDefault();var j=new TextEncoder().encode(JSON.stringify({w:d.widget,state:d.state,lang:${JSON.stringify(lang)}})),s='';for(var i=0;i<j.length;i++)s+=String.fromCharCode(j[i]);location.assign(${JSON.stringify(configurator)}+'#cfg='+btoa(s).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,''))});`;
}

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  const lang = route.lang.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
  const slug = route.id.replace(/^zh-cn\//, '').replace(/\/$/, '');
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  // Only pages that show a widget need the listener (the MDX imports one from components/widgets/).
  const body = (route.entry as { body?: string }).body ?? '';
  if (body.includes('components/widgets/')) {
    route.head.push({
      tag: 'script',
      content: embedListener(`${base}${lang === 'zh-cn' ? 'zh-cn/' : ''}embed/`, lang),
    });
  }
  for (const w of WIDGETS) {
    if (w.chapter.replace(/\/$/, '') !== slug) continue;
    route.head.push({
      tag: 'link',
      attrs: {
        rel: 'alternate',
        type: 'application/json+oembed',
        href: new URL(`${base}${oembedPath(w.name, lang)}`, context.site ?? context.url).href,
        title: w.title[lang],
      },
    });
  }
});
