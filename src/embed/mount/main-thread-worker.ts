// `Worker` for the labs inside a custom element. A worker script must have the host page's origin, and
// a blob: worker is refused by a strict Content-Security-Policy, so on someone else's page the load
// lab's runs (components/labs/load.worker.ts, 0.1–1 s) happen on the main thread, a timer tick later.
// The bundle binds the bare global `Worker` of the lab file to this class (esbuild `inject`); it speaks
// load.worker.ts's protocol: { scenario, rate, range, pool } in, { ok, result | message } out.
import { runLoad } from '../../../components/labs/load.ts';
import type { LoadRequest } from '../../../components/labs/load.worker.ts';

export class Worker extends EventTarget {
  #dead = false;
  #url: string;

  constructor(url: string | URL) {
    super();
    this.#url = String(url);
  }

  postMessage(data: LoadRequest): void {
    setTimeout(() => {
      if (this.#dead) return;
      let reply: { ok: true; result: unknown } | { ok: false; message: string };
      try {
        if (!this.#url.includes('load.worker')) throw new Error(`no main-thread stand-in for ${this.#url}`);
        reply = { ok: true, result: runLoad(data.scenario, data.rate, data.range, data.pool) };
      } catch (e) {
        reply = { ok: false, message: e instanceof Error ? e.message : String(e) };
      }
      if (!this.#dead) this.dispatchEvent(new MessageEvent('message', { data: reply }));
    }, 16);
  }

  terminate(): void {
    this.#dead = true;
  }
}
