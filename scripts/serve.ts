// Serves a built site the way a static host would: `npm start` builds, then runs this.
// Usage: node scripts/serve.ts [dir] — PORT, HOST and BASE_PATH come from the environment.
import { existsSync } from 'node:fs';
import { startStaticServer } from './lib/static-server.ts';

const root = process.argv[2] ?? 'dist';
if (!existsSync(root)) {
  console.error(`serve: no build at ${root}. Run \`npm run build\` first.`);
  process.exit(1);
}
const { url } = await startStaticServer({
  root,
  base: process.env.BASE_PATH ?? '/',
  port: Number(process.env.PORT ?? 4321),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(
  `TIME_WAIT, Explained is being served at ${url}\n(English at the root, 简体中文 at ${url}zh-cn/) — Ctrl+C to stop.`,
);
