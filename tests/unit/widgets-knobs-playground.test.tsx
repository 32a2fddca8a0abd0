// The playground's first frame, as the build renders it: the default preset already run, its chart,
// its connect() log with the EADDRNOTAVAIL failure, every knob, in the page's language.
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { Playground } from '../../components/widgets/Playground.tsx';
import { PRESETS } from '../../components/widgets/playground/presets.ts';

describe('Playground first frame', () => {
  const en = renderToString(<Playground lang="en" />);
  const zh = renderToString(<Playground lang="zh-CN" />);

  it('offers every scenario file as a preset, starting from port exhaustion', () => {
    expect(PRESETS.length).toBeGreaterThanOrEqual(30);
    expect((en.match(/<option [^>]*value="[a-z0-9-]+"/g) ?? []).length).toBeGreaterThanOrEqual(
      PRESETS.length,
    );
    expect(en).toMatch(
      /<option selected value="port-exhaustion">Port exhaustion with a small range<\/option>/,
    );
    const load = PRESETS.find((p) => p.name === 'load-10k-per-second');
    expect(load?.note?.en).toContain('first 30 s');
  });

  it('shows the run: chart, the failed connect(), the ss summary and the sequence diagram', () => {
    expect(en).toContain('id="pg-chart"');
    expect(en).toContain('data-series="timeWait-client"');
    expect(en).toMatch(
      /<tr class="twg-pg__fail"><td>400 ms<\/td><td>client<\/td><td>c5<\/td><td><\/td><td>EADDRNOTAVAIL<\/td><\/tr>/,
    );
    expect(en).toContain('data-testid="ss-summary"');
    expect(en).toContain('Sequence diagram of the run');
    // A scripted preset runs as knobs move: no Run button to press.
    expect(en).not.toContain('>Run</button>');
  });

  it('labels everything in Chinese on the Chinese page', () => {
    expect(zh).toContain('<label for="pg-preset">起点</label>');
    expect(zh).toContain('端口范围很小时的端口耗尽');
    expect(zh).toContain('connect() 调用');
    expect(zh).toContain('TIME_WAIT（client）');
    expect(zh).not.toContain('Sequence diagram of the run');
  });
});
