// src/sim must run in a browser: bundle it for `platform: 'browser'` and fail on any Node built-in.
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const SIM = join(import.meta.dirname, '../../src/sim');
const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** The entry: src/sim/index.ts when it exists, else every module a browser page would load. */
function entry(): { contents: string; label: string } {
  if (existsSync(join(SIM, 'index.ts')))
    return { contents: "export * from './index.ts';", label: 'src/sim/index.ts' };
  const modules = ['scenario.ts', 'observe.ts', 'expect.ts', 'duration.ts', 'simulation.ts'].filter((m) =>
    existsSync(join(SIM, m)),
  );
  return {
    contents: modules.map((m, i) => `export * as m${i} from './${m}';`).join('\n'),
    label: modules.map((m) => `src/sim/${m}`).join(' + '),
  };
}

describe('browser bundle', () => {
  it('bundles src/sim for the browser without Node built-ins', async () => {
    const { contents, label } = entry();
    const imported: string[] = [];
    const result = await build({
      stdin: { contents, resolveDir: SIM, loader: 'ts', sourcefile: 'entry.ts' },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      minify: true,
      write: false,
      logLevel: 'silent',
      plugins: [
        {
          name: 'no-node-builtins',
          setup(b) {
            b.onResolve({ filter: /.*/ }, (args) => {
              if (NODE_BUILTINS.has(args.path)) {
                imported.push(`${args.path} (from ${args.importer})`);
                return { path: args.path, external: true };
              }
              return undefined;
            });
          },
        },
      ],
    });
    expect(imported, 'Node built-ins imported by src/sim').toEqual([]);
    const code = result.outputFiles[0]?.contents ?? new Uint8Array();
    expect(code.length).toBeGreaterThan(1000);
    // Globals that exist only in Node must not be referenced either.
    const text = new TextDecoder().decode(code);
    expect(text).not.toMatch(/\bprocess\.(env|argv|exit|hrtime)|\bBuffer\.from\b|\brequire\(/);
    const gz = gzipSync(code).length;
    console.log(
      `browser bundle of ${label}: ${(code.length / 1024).toFixed(1)} KB minified, ${(gz / 1024).toFixed(1)} KB gzipped`,
    );
  });
});
