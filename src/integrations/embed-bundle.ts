// Builds the embed scripts after Astro's build: embed/v1/embed.js (the custom-element loader),
// embed/v1/resize.js (for host pages that use iframes) and one file per widget, with esbuild. They
// are a separate bundle because host pages load them by a fixed, versioned URL (src/embed/protocol.ts),
// which Astro's hashed asset names cannot give.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { AstroIntegration } from 'astro';
import { type BuildOptions, build, type Plugin } from 'esbuild';
import { LAB_META } from '../embed/labs.ts';
import { EMBED_VERSION } from '../embed/protocol.ts';
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

/**
 * Stylesheets a component imports for Astro's pages (`import './x.css'`) mean nothing inside a shadow
 * root: each widget file adds the CSS it needs itself, as text (`?raw` above).
 */
const cssImportPlugin: Plugin = {
  name: 'twg-css-import',
  setup(b) {
    b.onResolve({ filter: /\.css$/ }, (args) => ({ path: args.path, namespace: 'twg-no-css' }));
    b.onLoad({ filter: /.*/, namespace: 'twg-no-css' }, () => ({ contents: '', loader: 'js' }));
  },
};

/**
 * Vite's `import.meta.glob('<dir>/*.json', { eager: true, import: 'default' })` (the playground's
 * presets use it) in esbuild: an object of static imports of the matching files.
 */
const globPlugin: Plugin = {
  name: 'twg-glob',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.glob')) return undefined;
      let n = 0;
      const imports: string[] = [];
      const contents = source.replace(
        /import\.meta\.glob(?:<[^(]*>)?\(\s*'([^'*]+)\/\*(\.[a-z]+)'\s*,\s*\{([^}]*)\}\s*,?\s*\)/g,
        (_, dir: string, ext: string, options: string) => {
          if (!/eager:\s*true/.test(options) || !/import:\s*'default'/.test(options))
            throw new Error(
              `${args.path}: only eager, default-import globs are supported in the embed bundle`,
            );
          const abs = resolve(dirname(args.path), dir);
          const entries = readdirSync(abs)
            .filter((f) => f.endsWith(ext))
            .sort()
            .map((f) => {
              const id = `__twg_glob_${n++}`;
              imports.push(`import ${id} from ${JSON.stringify(join(abs, f))};`);
              return `${JSON.stringify(`${dir}/${f}`)}: ${id}`;
            });
          return `({${entries.join(', ')}})`;
        },
      );
      if (contents.includes('import.meta.glob('))
        throw new Error(`${args.path}: an import.meta.glob the embed bundle cannot rewrite`);
      return {
        contents: `${imports.join('\n')}\n${contents}`,
        loader: args.path.endsWith('x') ? 'tsx' : 'ts',
        resolveDir: dirname(args.path),
      };
    });
  },
};

/** The playground's preset names, as components/widgets/playground/presets.ts computes them. */
export function playgroundPresetNames(): string[] {
  const dir = join(ROOT, 'src/sim/scenarios');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const json = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { name?: unknown };
      return typeof json.name === 'string' ? json.name : f.replace(/\.json$/, '');
    });
}

/**
 * embed.js checks attributes against the labs and the playground's presets before any widget loads.
 * The modules that list them read the presets and the scenario files (src/embed/labs.ts,
 * playground-meta.ts); here they become the computed lists, so embed.js carries only names and choices.
 */
const metaPlugin: Plugin = {
  name: 'twg-embed-meta',
  setup(b) {
    b.onLoad({ filter: /src[\\/]embed[\\/]labs\.ts$/ }, () => ({
      contents: `export const LAB_META = ${JSON.stringify(LAB_META)};\nexport const LAB_NAMES = Object.keys(LAB_META);`,
      loader: 'ts',
    }));
    b.onLoad({ filter: /src[\\/]embed[\\/]playground-meta\.ts$/ }, () => ({
      contents: `export const PLAYGROUND_PRESETS = ${JSON.stringify(playgroundPresetNames())};\nexport const PLAYGROUND_DEFAULT = 'port-exhaustion';`,
      loader: 'ts',
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
  const mount = (name: string) => join(ROOT, `src/embed/mount/${name}.tsx`);
  const shim = (name: string) => join(ROOT, `src/embed/mount/${name}.ts`);
  // Classic, self-contained scripts (IIFE): see src/embed/embed.ts for why not modules. The labs and
  // the playground keep their state in `location.hash` and run loads in a `Worker`: in their files
  // those globals are bound to stand-ins (see the shims), so an embed never rewrites the host's URL.
  const groups: { entryPoints: Record<string, string>; inject?: string[] }[] = [
    {
      entryPoints: {
        embed: join(ROOT, 'src/embed/embed.ts'),
        resize: join(ROOT, 'src/embed/resize.ts'),
        'close-explorer': mount('close-explorer'),
      },
    },
    { entryPoints: { lab: mount('lab') }, inject: [shim('page-url'), shim('main-thread-worker')] },
    { entryPoints: { playground: mount('playground') }, inject: [shim('page-url'), shim('no-worker')] },
  ];
  const common: BuildOptions = {
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
    // `new Worker(new URL('./x.worker.ts', import.meta.url))`: the URL is only a name for the stand-in.
    define: { 'import.meta.url': '"https://embed.invalid/"' },
    plugins: [metaPlugin, scenariosPlugin, rawPlugin, cssImportPlugin, globPlugin],
  };
  const outputs: string[] = [];
  for (const g of groups) {
    const result = await build({
      ...common,
      entryPoints: g.entryPoints,
      ...(g.inject ? { inject: g.inject } : {}),
    });
    outputs.push(...Object.keys(result.metafile?.outputs ?? {}));
  }
  return outputs
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
