// The embed contract: attribute parsing (what a blogger types), the resize protocol's guards, the
// configurator's reading of a URL (hostile until checked) and the oEmbed markup.
import { describe, expect, it } from 'vitest';
import { iframeHtml, oembedResponse } from '../../src/embed/oembed.ts';
import { isHelloMessage, isResizeMessage, MAX_FRAME_HEIGHT } from '../../src/embed/protocol.ts';
import { closeExplorer, parseInstant, WIDGETS } from '../../src/embed/registry.ts';

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
