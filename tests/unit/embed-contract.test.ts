// The embed contract: attribute parsing (what a blogger types), the resize protocol's guards, the
// configurator's reading of a URL (hostile until checked) and the oEmbed markup.
import { describe, expect, it } from 'vitest';
import { embedCodes, type LabChoice, labFragmentState } from '../../components/embed/Configurator.tsx';
import { LABS } from '../../components/labs/presets.ts';
import { PRESETS } from '../../components/widgets/playground/presets.ts';
import { LAB_META, LAB_NAMES, labPlaces, labsInMdx } from '../../src/embed/labs.ts';
import { iframeHtml, oembedResponse } from '../../src/embed/oembed.ts';
import { EMBEDDABLE_LABS, LAB_PLACES } from '../../src/embed/places.ts';
import { PLAYGROUND_PRESETS } from '../../src/embed/playground-meta.ts';
import {
  dataPath,
  framePath,
  imagePath,
  isHelloMessage,
  isResizeMessage,
  MAX_FRAME_HEIGHT,
  oembedPath,
} from '../../src/embed/protocol.ts';
import { closeExplorer, lab, parseInstant, playground, WIDGETS } from '../../src/embed/registry.ts';

describe('custom element attributes', () => {
  it('parses instants with units', () => {
    expect(parseInstant('1.5s')).toBe(1_500_000);
    expect(parseInstant('200ms')).toBe(200_000);
    expect(parseInstant('750us')).toBe(750);
    expect(parseInstant('2min')).toBe(120_000_000);
    expect(parseInstant('42')).toBe(42);
    for (const bad of ['', 'soon', '-1s', '1e9s', '1 h', '2days', '<script>'])
      expect(parseInstant(bad), bad).toBeUndefined();
  });

  it('turns attributes into a state and back', () => {
    const parsed = closeExplorer.parse({ closer: 'server', seed: '7', t: '2ms', drop: '3, 5' });
    expect(parsed).toEqual({ ok: true, value: { c: 'server', s: 7, t: 2000, d: [3, 5] } });
    if (!parsed.ok) throw new Error('unreachable');
    expect(closeExplorer.parse(closeExplorer.toAttributes(parsed.value))).toEqual(parsed);
    expect(closeExplorer.parse({ closer: null, seed: null, t: null, drop: null })).toEqual({
      ok: true,
      value: {},
    });
  });

  it('names the attribute and what it accepts when a value is bad', () => {
    const cases: [Record<string, string>, string][] = [
      [{ closer: 'sideways' }, 'closer'],
      [{ seed: '-1' }, 'seed'],
      [{ seed: '99999999999' }, 'seed'],
      [{ t: 'soon' }, 't'],
      [{ drop: '1,x' }, 'drop'],
      [{ drop: Array.from({ length: 17 }, (_, i) => i + 1).join(',') }, 'drop'],
    ];
    for (const [attrs, name] of cases) {
      const r = closeExplorer.parse(attrs);
      expect(r.ok, JSON.stringify(attrs)).toBe(false);
      if (!r.ok) {
        expect(r.problem.attribute).toBe(name);
        expect(r.problem.expected.length).toBeGreaterThan(5);
      }
    }
  });

  it('every widget documents its attributes', () => {
    for (const w of WIDGETS) {
      expect(Object.keys(w.attributes).length, w.name).toBeGreaterThan(0);
      expect(
        w.title.en && w.title['zh-cn'] && w.description.en && w.description['zh-cn'],
        w.name,
      ).toBeTruthy();
    }
  });
});

describe('resize protocol', () => {
  it('accepts only well-formed messages with a sane height', () => {
    expect(isResizeMessage({ type: 'twg:resize', v: 1, height: 640 })).toBe(true);
    for (const bad of [
      null,
      'twg:resize',
      { type: 'twg:resize', v: 2, height: 640 },
      { type: 'twg:resize', v: 1, height: -1 },
      { type: 'twg:resize', v: 1, height: Number.NaN },
      { type: 'twg:resize', v: 1, height: MAX_FRAME_HEIGHT + 1 },
      { type: 'twg:resize', v: 1, height: '640' },
    ])
      expect(isResizeMessage(bad), JSON.stringify(bad)).toBe(false);
    expect(isHelloMessage({ type: 'twg:hello', v: 1 })).toBe(true);
    expect(isHelloMessage({ type: 'twg:hello' })).toBe(false);
  });
});

describe('oEmbed', () => {
  it('escapes what it puts in attributes and points at the versioned frame', () => {
    const html = iframeHtml(closeExplorer, 'en', 'https://example.org/guide/', {
      theme: 'dark',
      fragment: 'close=abc',
    });
    expect(html).toMatch(
      /^<iframe src="https:\/\/example\.org\/guide\/embed\/v1\/close-explorer\/\?theme=dark#close=abc"/,
    );
    const evil = { ...closeExplorer, title: { en: '"><script>x</script>', 'zh-cn': '' } };
    expect(iframeHtml(evil, 'en', 'https://e/')).not.toContain('"><script>');
    const r = oembedResponse(closeExplorer, 'zh-cn', 'https://example.org/');
    expect(r).toMatchObject({
      version: '1.0',
      type: 'rich',
      width: closeExplorer.width,
      height: closeExplorer.height,
    });
    expect(r.html).toContain('https://example.org/zh-cn/embed/v1/close-explorer/');
  });
});

describe('widget CSS for a shadow root', () => {
  it('turns rem into px (rem would follow the host page) and leaves other units alone', async () => {
    const { remToPx } = await import('../../src/integrations/embed-bundle.ts');
    expect(remToPx('.a{padding:0.75rem 1rem;margin:-.5rem;font-size:1.5em;width:10px}')).toBe(
      '.a{padding:12px 16px;margin:-8px;font-size:1.5em;width:10px}',
    );
  });
});

describe('playground attributes', () => {
  it('accepts the presets the playground offers, and its seed range', () => {
    expect(PLAYGROUND_PRESETS).toEqual(PRESETS.map((p) => p.name));
    expect(playground.parse({ preset: 'tw-reuse-on', seed: '42' })).toEqual({
      ok: true,
      value: { p: 'tw-reuse-on', seed: 42 },
    });
    expect(playground.parse({ preset: null, seed: null })).toEqual({ ok: true, value: {} });
    expect(playground.toAttributes({ v: 1, p: 'tw-reuse-on', k: { seed: 42 } })).toEqual({
      preset: 'tw-reuse-on',
      seed: '42',
    });
    expect(playground.toAttributes({ preset: 'linger-zero', values: { seed: 3 } })).toEqual({
      preset: 'linger-zero',
      seed: '3',
    });
  });

  it('names the attribute and lists the presets when a value is bad', () => {
    const r = playground.parse({ preset: 'nope' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.attribute).toBe('preset');
      expect(r.problem.expected).toContain('port-exhaustion');
    }
    for (const seed of ['-1', '1000000', 'x', '1.5']) {
      const s = playground.parse({ seed });
      expect(s.ok, seed).toBe(false);
      if (!s.ok) expect(s.problem.attribute).toBe('seed');
    }
  });

  it('the embed bundle lists the same presets from the files', async () => {
    const { playgroundPresetNames } = await import('../../src/integrations/embed-bundle.ts');
    expect(playgroundPresetNames()).toEqual(PLAYGROUND_PRESETS);
  });
});

describe('lab attributes', () => {
  it('knows every lab of the presets, with its choices', () => {
    expect([...LAB_NAMES].sort()).toEqual(Object.keys(LABS).sort());
    expect(LAB_META['keepalive-pool']).toMatchObject({ kind: 'load', pools: [0, 4] });
    expect(LAB_META['lost-final-ack']).toMatchObject({ kind: 'scenario', variants: ['tw', 'none'] });
  });

  it('turns attributes into a lab state and back', () => {
    const s = lab.parse({ lab: 'lost-final-ack', variant: 'none', seed: '3', t: '1.5s', drop: '4,6' });
    expect(s).toEqual({
      ok: true,
      value: { lab: 'lost-final-ack', v: 'none', s: 3, t: 1_500_000, d: [4, 6] },
    });
    if (s.ok) expect(lab.parse(lab.toAttributes(s.value))).toEqual(s);
    const l = lab.parse({ lab: 'keepalive-pool', rate: '20', pool: '4' });
    expect(l).toEqual({ ok: true, value: { lab: 'keepalive-pool', r: 20, k: 4 } });
    if (l.ok) expect(lab.parse(lab.toAttributes(l.value))).toEqual(l);
    expect(lab.instances?.of({ lab: 'keepalive-pool' })).toBe('keepalive-pool');
  });

  it('names the attribute and what it accepts when a value is bad', () => {
    const cases: [Record<string, string | null>, string, string][] = [
      [{ lab: null }, 'lab', 'lost-final-ack'],
      [{ lab: 'lost-final-hack' }, 'lab', 'keepalive-pool'],
      [{ lab: 'lost-final-ack', variant: 'paws' }, 'variant', 'tw | none'],
      [{ lab: 'lost-final-ack', rate: '10' }, 'rate', 'scenario lab'],
      [{ lab: 'keepalive-pool', variant: 'tw' }, 'variant', 'load lab'],
      [{ lab: 'keepalive-pool', rate: '7' }, 'rate', '5 | 10 | 20'],
      [{ lab: 'keepalive-pool', ports: '1024' }, 'ports', '256'],
      [{ lab: 'lost-final-ack', drop: '0' }, 'drop', 'segment numbers'],
      [{ lab: 'lost-final-ack', t: 'later' }, 't', '1.5s'],
    ];
    for (const [attrs, name, accepted] of cases) {
      const r = lab.parse(attrs);
      expect(r.ok, JSON.stringify(attrs)).toBe(false);
      if (!r.ok) {
        expect(r.problem.attribute, JSON.stringify(attrs)).toBe(name);
        expect(r.problem.expected, JSON.stringify(attrs)).toContain(accepted);
      }
    }
  });
});

describe('where the labs live', () => {
  it('finds the labs an MDX body places, with their ids', () => {
    expect(
      labsInMdx(
        'x\n<ScenarioLab id="port-exhaustion" lab="port-exhaustion-little" caption="a" />\n<ScenarioLab lab="b" id="a" />',
      ),
    ).toEqual([
      { id: 'port-exhaustion', lab: 'port-exhaustion-little' },
      { id: 'a', lab: 'b' },
    ]);
  });

  it('gives each lab its first chapter in reading order, English only', () => {
    const places = labPlaces({
      '/r/content/docs/mitigate/a.mdx': '---\nsidebar: { order: 1 }\n---\n<ScenarioLab id="x" lab="one" />',
      '/r/content/docs/understand/b.mdx': '---\nsidebar: { order: 5 }\n---\n<ScenarioLab id="y" lab="one" />',
      '/r/content/docs/understand/a.mdx': '---\nsidebar: { order: 9 }\n---\n<ScenarioLab id="z" lab="two" />',
      '/r/content/docs/zh-cn/understand/b.mdx': '<ScenarioLab id="zh" lab="three" />',
    });
    expect(places).toEqual({
      one: { chapter: 'understand/b/', id: 'y' },
      two: { chapter: 'understand/a/', id: 'z' },
    });
  });

  it('every lab a chapter uses (either language) is embeddable and known to embed.js', () => {
    const files = import.meta.glob<string>('../../content/docs/**/*.mdx', {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const used = new Set(Object.values(files).flatMap((t) => labsInMdx(t).map((l) => l.lab)));
    expect(used.size).toBeGreaterThanOrEqual(20);
    for (const name of used) {
      expect(EMBEDDABLE_LABS, name).toContain(name);
      expect(LAB_NAMES, name).toContain(name);
      expect(lab.parse({ lab: name }).ok, name).toBe(true);
    }
    expect(LAB_PLACES['lost-final-ack']).toEqual({ chapter: 'understand/why/', id: 'lost-final-ack' });
    expect(LAB_PLACES['port-exhaustion-little']?.id).toBe('port-exhaustion');
  });

  it('versioned paths for one lab', () => {
    expect(framePath('lab', 'zh-cn', 'linger-zero')).toBe('zh-cn/embed/v1/lab/linger-zero/');
    expect(imagePath('lab', 'linger-zero')).toBe('embed/v1/lab/linger-zero.svg');
    expect(oembedPath('lab', 'en', 'linger-zero')).toBe('embed/v1/oembed/lab/linger-zero.json');
    expect(dataPath('lab', 'linger-zero')).toBe('embed/v1/lab/linger-zero.js');
  });
});

describe('configurator codes for labs and the playground', () => {
  const choice: LabChoice = {
    name: 'lost-final-ack',
    title: { en: 'Lab: the lost last ACK', 'zh-cn': '实验：丢失的最后一个 ACK' },
    chapter: 'understand/why/',
    chapterTitle: 'Why',
    id: 'lost-final-ack',
    kind: 'scenario',
    variants: [
      { key: 'tw', label: 'tw' },
      { key: 'none', label: 'none' },
    ],
    initial: 'tw',
    defaults: { tw: { s: 1, t: 2000 }, none: { s: 2, t: 3000 } },
  };

  it('completes a lab state the attributes give in part, as the chapter checks it', () => {
    expect(labFragmentState(choice, { lab: 'lost-final-ack' })).toBeUndefined();
    expect(labFragmentState(choice, { lab: 'lost-final-ack', v: 'none' })).toEqual({
      v: 'none',
      s: 2,
      t: 3000,
      d: [],
    });
    expect(labFragmentState(choice, { lab: 'lost-final-ack', d: [5] })).toEqual({
      v: 'tw',
      s: 1,
      t: 2000,
      d: [5],
    });
  });

  it('points every form at the lab and its chapter', () => {
    const codes = embedCodes(
      {
        w: 'lab',
        a: { lab: 'lost-final-ack', variant: 'none' },
        theme: 'dark',
        lang: 'zh-cn',
        width: 700,
        height: 900,
      },
      'https://example.org/g/',
      [choice],
    );
    expect(codes.iframe).toMatch(
      /^<iframe src="https:\/\/example\.org\/g\/zh-cn\/embed\/v1\/lab\/lost-final-ack\/\?theme=dark#lost-final-ack=[A-Za-z0-9_-]+" title="实验：丢失的最后一个 ACK"/,
    );
    expect(codes.element).toContain(
      '<tw-lab lab="lost-final-ack" variant="none" lang="zh-cn" theme="dark"></tw-lab>',
    );
    expect(codes.oembed).toMatch(/^https:\/\/example\.org\/g\/zh-cn\/understand\/why\/#lost-final-ack=/);
    expect(codes.oembedJson).toBe('https://example.org/g/zh-cn/embed/v1/oembed/lab/lost-final-ack.json');
    expect(codes.image).toContain('https://example.org/g/embed/v1/lab/lost-final-ack.svg');
    const pg = embedCodes(
      {
        w: 'playground',
        a: { preset: 'linger-zero', seed: '9' },
        theme: 'auto',
        lang: 'en',
        width: 700,
        height: 900,
      },
      'https://example.org/',
    );
    expect(pg.element).toContain('<tw-playground preset="linger-zero" seed="9" lang="en"></tw-playground>');
    const state = pg.iframe.match(/#pg=([A-Za-z0-9_-]+)"/)?.[1] ?? '';
    expect(JSON.parse(Buffer.from(state, 'base64url').toString())).toEqual({
      v: 1,
      p: 'linger-zero',
      k: { seed: 9 },
    });
    expect(pg.oembed).toMatch(/^https:\/\/example\.org\/playground\/#pg=/);
  });

  it('the oEmbed response of a lab names the lab and its image', () => {
    const r = oembedResponse(lab, 'en', 'https://example.org/', {
      name: 'linger-zero',
      title: 'Lab: SO_LINGER',
    });
    expect(r.title).toBe('Lab: SO_LINGER');
    expect(r.html).toContain('https://example.org/embed/v1/lab/linger-zero/');
    expect(r.thumbnail_url).toBe('https://example.org/embed/v1/lab/linger-zero.svg');
  });
});
