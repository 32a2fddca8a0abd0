// Starlight route middleware: a chapter that hosts an embeddable widget announces the widget's oEmbed
// response, so a host that supports oEmbed discovery turns a pasted chapter link into the lab.
import { defineRouteMiddleware } from '@astrojs/starlight/route-data';
import { LAB_META, labsInMdx } from './labs.ts';
import { LAB_PLACES } from './places.ts';
import { oembedPath } from './protocol.ts';
import { WIDGETS } from './registry.ts';

/**
 * A widget's "copy embed code" button dispatches `twg:embed` ({ widget, state }); this takes the reader to
 * the Embed page's configurator with that state (`#cfg=`, base64url JSON, as components/embed/Configurator.tsx
 * reads it). Inline and tiny, so pages with widgets need no extra request. The labs' buttons say only
 * `scenario-lab` or `load-lab`; which lab it is comes from the lab's `data-lab` (its id on this page),
 * through `labs`, the page's ids → lab names. Widgets that cannot be embedded are left alone (their
 * button copies a link to the state instead).
 */
function embedListener(configurator: string, lang: string, labs: Record<string, string>): string {
  const names = JSON.stringify(WIDGETS.map((w) => w.name));
  return `document.addEventListener('twg:embed',function(e){var d=e.detail;if(!d)return;var w=d.widget,s=d.state;if(w==='scenario-lab'||w==='load-lab'){var el=e.target&&e.target.closest&&e.target.closest('[data-lab]'),l=el&&${JSON.stringify(labs)}[el.getAttribute('data-lab')];if(!l)return;w='lab';s=Object.assign({},s,{lab:l})}if(${names}.indexOf(w)<0)return;e.preventDefault();var j=new TextEncoder().encode(JSON.stringify({w:w,state:s,lang:${JSON.stringify(lang)}})),b='';for(var i=0;i<j.length;i++)b+=String.fromCharCode(j[i]);location.assign(${JSON.stringify(configurator)}+'#cfg='+btoa(b).replace(/\\+/g,'-').replace(/\\//g,'_').replace(/=+$/,''))});`;
}

/**
 * A link to a lab's state (an embed's "open on the site", `#<lab id>=<state>`) is not a heading anchor,
 * so the browser would open the chapter at its top: scroll to the lab whose state the fragment holds.
 */
function scrollToLab(ids: string[]): string {
  return `addEventListener('DOMContentLoaded',function(){var ids=${JSON.stringify(ids)},p=location.hash.slice(1).split('&');for(var i=0;i<p.length;i++){var e=p[i].indexOf('=');if(e<1)continue;var k;try{k=decodeURIComponent(p[i].slice(0,e))}catch(x){continue}if(ids.indexOf(k)<0)continue;var el=document.querySelector('[data-lab="'+k.replace(/[^a-z0-9-]/gi,'')+'"]');if(el)el.scrollIntoView();return}});`;
}

export const onRequest = defineRouteMiddleware((context) => {
  const route = context.locals.starlightRoute;
  const lang = route.lang.toLowerCase().startsWith('zh') ? 'zh-cn' : 'en';
  const slug = route.id.replace(/^zh-cn\//, '').replace(/\/$/, '');
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  // Only pages that show a widget or a lab need the listener.
  const body = (route.entry as { body?: string }).body ?? '';
  if (body.includes('components/widgets/') || body.includes('components/labs/')) {
    const labs = Object.fromEntries(labsInMdx(body).map(({ id, lab }) => [id, lab]));
    route.head.push({
      tag: 'script',
      content:
        embedListener(`${base}${lang === 'zh-cn' ? 'zh-cn/' : ''}embed/`, lang, labs) +
        (Object.keys(labs).length > 0 ? scrollToLab(Object.keys(labs)) : ''),
    });
  }
  const announce = (href: string, title: string) =>
    route.head.push({
      tag: 'link',
      attrs: {
        rel: 'alternate',
        type: 'application/json+oembed',
        href: new URL(`${base}${href}`, context.site ?? context.url).href,
        title,
      },
    });
  for (const w of WIDGETS) {
    if (w.instances || w.chapter.replace(/\/$/, '') !== slug) continue;
    announce(oembedPath(w.name, lang), w.title[lang]);
  }
  // Each lab on the chapter that is the lab's home (its first place in the guide).
  for (const [lab, place] of Object.entries(LAB_PLACES)) {
    const meta = LAB_META[lab];
    if (!meta || place.chapter.replace(/\/$/, '') !== slug) continue;
    announce(oembedPath('lab', lang, lab), meta.title[lang]);
  }
});
