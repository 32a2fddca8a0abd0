// Every code sample on the mitigation pages must compile or parse on its own: readers copy them.
// C: gcc -fsyntax-only -Wall -Werror; Go: gofmt -e; Python: py_compile; Java: javac (file named after
// its public class); JS/TS: esbuild's parser. A missing compiler skips its language loudly, never silently.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { transform } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { type CodeBlock, codeBlocks } from '../../src/mitigations/page-structure.ts';

const ROOTS = ['content/docs/mitigate', 'content/docs/zh-cn/mitigate'];
/** javac alone takes seconds; on a loaded two-core machine much longer. */
const COMPILE_TIMEOUT = 120_000;

type Lang = 'c' | 'go' | 'python' | 'java' | 'js' | 'ts';
const ALIASES: Record<string, Lang> = {
  c: 'c',
  go: 'go',
  python: 'python',
  py: 'python',
  java: 'java',
  js: 'js',
  javascript: 'js',
  mjs: 'js',
  cjs: 'js',
  ts: 'ts',
  typescript: 'ts',
};

interface Located extends CodeBlock {
  file: string;
}

function pages(): string[] {
  const out: string[] = [];
  for (const root of ROOTS) {
    if (!existsSync(root)) continue;
    const walk = (d: string) => {
      for (const name of readdirSync(d, { withFileTypes: true })) {
        const full = join(d, name.name);
        if (name.isDirectory()) walk(full);
        else if (/\.mdx?$/.test(name.name)) out.push(full);
      }
    };
    walk(root);
  }
  return out.sort();
}

const work = mkdtempSync(join(tmpdir(), 'twg-mitigation-code-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).status === 0;
}

/** Why a language cannot be checked here, or undefined when its compiler is present. */
function missing(lang: Lang): string | undefined {
  switch (lang) {
    case 'c':
      return which('gcc') ? undefined : 'gcc not found (Debian: gcc, libc6-dev)';
    case 'go':
      return which('gofmt') ? undefined : 'gofmt not found (Debian: golang-go)';
    case 'python':
      return which('python3') ? undefined : 'python3 not found (Debian: python3)';
    case 'java':
      return which('javac') ? undefined : 'javac not found (Debian: default-jdk-headless)';
    default:
      return undefined; // esbuild is a project dependency
  }
}

interface Result {
  ok: boolean;
  message: string;
}

function run(cmd: string, args: string[], cwd: string): Result {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  const message = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim();
  return { ok: r.status === 0 && !r.error, message };
}

/** Compiles or parses one block on its own; the message is the compiler's. */
async function check(lang: Lang, code: string): Promise<Result> {
  const dir = join(
    work,
    createHash('sha1')
      .update(lang + code)
      .digest('hex')
      .slice(0, 12),
  );
  mkdirSync(dir, { recursive: true });
  switch (lang) {
    case 'c':
      writeFileSync(join(dir, 'block.c'), code);
      return run('gcc', ['-fsyntax-only', '-Wall', '-Werror', '-std=gnu11', 'block.c'], dir);
    case 'go':
      writeFileSync(join(dir, 'block.go'), code);
      return run('gofmt', ['-e', '-l', 'block.go'], dir);
    case 'python':
      writeFileSync(join(dir, 'block.py'), code);
      return run('python3', ['-m', 'py_compile', 'block.py'], dir);
    case 'java': {
      const cls = /^\s*public\s+(?:final\s+|abstract\s+)*(?:class|record|interface|enum)\s+(\w+)/m.exec(
        code,
      )?.[1];
      if (!cls) return { ok: false, message: 'no public class: javac needs one to name the file after' };
      writeFileSync(join(dir, `${cls}.java`), code);
      mkdirSync(join(dir, 'classes'), { recursive: true });
      return run('javac', ['-Xlint:none', '-d', 'classes', `${cls}.java`], dir);
    }
    case 'js':
    case 'ts':
      try {
        await transform(code, { loader: lang, sourcefile: `block.${lang}`, logLevel: 'silent' });
        return { ok: true, message: '' };
      } catch (e) {
        return { ok: false, message: e instanceof Error ? e.message : String(e) };
      }
  }
}

const blocks: Located[] = pages().flatMap((file) =>
  codeBlocks(readFileSync(file, 'utf8'), file).map((b) => ({ ...b, file: relative('.', file) })),
);
const compiled = blocks.filter((b) => b.lang in ALIASES);

describe('the code samples on the mitigation pages', () => {
  it('are found (the pages exist and contain compilable samples)', () => {
    expect(pages().length, `no pages under ${ROOTS.join(', ')}`).toBeGreaterThan(0);
    expect(compiled.length, 'no c/go/python/java/js/ts blocks found').toBeGreaterThan(0);
  });

  it('each carry a title="…" naming the file', () => {
    const untitled = compiled
      .filter((b) => !b.title)
      .map((b) => `${b.file}:${b.line}: \`\`\`${b.lang} has no title`);
    expect(untitled).toEqual([]);
  });

  // en and zh twins usually hold the same code: compile each distinct text once, report every place.
  const cache = new Map<string, Promise<Result>>();
  const langs = [...new Set(Object.values(ALIASES))];
  for (const lang of langs) {
    const mine = compiled.filter((b) => ALIASES[b.lang] === lang);
    const reason = missing(lang);
    if (reason) {
      console.warn(`SKIPPING ${mine.length} ${lang} code block(s) on the mitigation pages: ${reason}`);
      it.skip(`${lang}: ${mine.length} block(s) not checked: ${reason}`, () => {});
      continue;
    }
    describe(lang, () => {
      it(
        'rejects a broken sample (the checker itself works)',
        async () => {
          const broken: Record<Lang, string> = {
            c: 'int main(void) { int unused; return 0 }\n',
            go: 'package main\nfunc main() {\n',
            python: 'def f(:\n    pass\n',
            java: 'public class Broken { void f() { int x = ; } }\n',
            js: 'const = 1;\n',
            ts: 'let x: = 1;\n',
          };
          const r = await check(lang, broken[lang]);
          expect(r.ok).toBe(false);
          expect(r.message.length).toBeGreaterThan(0);
        },
        COMPILE_TIMEOUT,
      );
      for (const b of mine) {
        it(
          `${b.file}:${b.line} ${b.title ?? ''}`,
          async () => {
            const key = `${lang}\0${b.code}`;
            let p = cache.get(key);
            if (!p) {
              p = check(lang, b.code);
              cache.set(key, p);
            }
            const r = await p;
            if (!r.ok)
              throw new Error(
                `${b.file}:${b.line}: ${lang} block ${b.title ?? ''} does not compile:\n${r.message}`,
              );
          },
          COMPILE_TIMEOUT,
        );
      }
    });
  }
});
