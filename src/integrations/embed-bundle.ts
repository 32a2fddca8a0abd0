// Builds the embed scripts after Astro's build: embed/v1/embed.js (the custom-element loader),
// embed/v1/resize.js (for host pages that use iframes) and one file per widget, with esbuild. They
// are a separate bundle because host pages load them by a fixed, versioned URL (src/embed/protocol.ts),
// which Astro's hashed asset names cannot give.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { build, type Plugin } from 'esbuild';
import { EMBED_VERSION } from '../embed/protocol.ts';
import { WIDGETS } from '../embed/registry.ts';
import { parseScenario } from '../sim/scenario.ts';
import type { Scenario } from '../sim/types.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The scenarios each widget's embed chunk starts from, parsed here so the chunk needs no parser. */
const WIDGET_SCENARIOS: Record<string, Record<string, string>> = {
  'close-explorer': {
    client: 'normal-close-client-first.json',
    server: 'normal-close-server-first.json',
    both: 'simultaneous-close.json',
  },
};

function slimScenario(file: string): Scenario {
  const path = join(ROOT, 'src/sim/scenarios', file);
  const parsed = parseScenario(JSON.parse(readFileSync(path, 'utf8')), file);
  // A widget needs what the simulator runs, not what the tests check.
  return { ...parsed, expect: [], snapshots: [] };
}

const scenariosPlugin: Plugin = {
  name: 'twg-embed-scenarios',
  setup(b) {
    b.onResolve({ filter: /^twg-embed-scenarios:/ }, (args) => ({
      path: args.path,
      namespace: 'twg-scenarios',
    }));
    b.onLoad({ filter: /.*/, namespace: 'twg-scenarios' }, (args) => {
      const widget = args.path.slice('twg-embed-scenarios:'.length);
      const files = WIDGET_SCENARIOS[widget];
      if (!files) return { errors: [{ text: `no scenarios are declared for the widget "${widget}"` }] };
      const out = Object.fromEntries(Object.entries(files).map(([k, f]) => [k, slimScenario(f)]));
      return { contents: JSON.stringify(out), loader: 'json' };
    });
  },
};

/**
 * Inside a shadow root `rem` still means the *host page's* root font size, so a blog with
 * `html { font-size: 30px }` would inflate every padding and font of the widget. The embed copy of the
 * widget CSS therefore gets px (at the usual 16 px per rem); `em` stays, relative to the element.
 */
export function remToPx(css: string): string {
  return css.replace(/(-?\d*\.?\d+)rem\b/g, (_, n: string) => `${+(Number(n) * 16).toFixed(3)}px`);
}

/** `import css from './x.css?raw'` (Vite's convention) → the file's text, with rem turned into px. */
const rawPlugin: Plugin = {
  name: 'twg-raw',
  setup(b) {
    b.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/\?raw$/, '')),
      namespace: 'twg-raw',
    }));
    b.onLoad({ filter: /.*/, namespace: 'twg-raw' }, (args) => ({
      contents: args.path.endsWith('.css')
        ? remToPx(readFileSync(args.path, 'utf8'))
        : readFileSync(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

export interface EmbedBundleReport {
  file: string;
  bytes: number;
  gzip: number;
}

/** Bundle the embed entry points into `outDir` (…/embed/v1/). Exported for the size tests. */
export async function bundleEmbeds(outDir: string): Promise<EmbedBundleReport[]> {
  const entryPoints: Record<string, string> = {
    embed: join(ROOT, 'src/embed/embed.ts'),
    resize: join(ROOT, 'src/embed/resize.ts'),
  };
  for (const w of WIDGETS) entryPoints[w.name] = join(ROOT, `src/embed/mount/${w.name}.tsx`);
  // Classic, self-contained scripts (IIFE): see src/embed/embed.ts for why not modules.
  const result = await build({
    entryPoints,
    outdir: outDir,
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    entryNames: '[name]',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: [scenariosPlugin, rawPlugin],
  });
  return Object.keys(result.metafile.outputs)
    .filter((f) => f.endsWith('.js'))
    .map((f) => {
      const data = readFileSync(f);
      return {
        file: f.slice(f.indexOf(`embed/${EMBED_VERSION}/`)),
        bytes: data.length,
        gzip: gzipSync(data).length,
      };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function embedBundle(): AstroIntegration {
  return {
    name: 'twg-embed-bundle',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const started = Date.now();
        const out = fileURLToPath(new URL(`embed/${EMBED_VERSION}/`, dir));
        const files = await bundleEmbeds(out);
        const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
        logger.info(
          `Bundled ${files.length} embed files in ${Date.now() - started} ms: ` +
            files.map((f) => `${f.file} ${kb(f.gzip)} gz`).join(', '),
        );
      },
    },
  };
}
