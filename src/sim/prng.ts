// The run's one source of randomness: a seeded 32-bit PRNG (sfc32, Chris Doty-Humphrey's Small Fast
// Counter), so the same scenario and seed give the same trace in Node and in a browser. Only integer
// operations on 32-bit values: Math.imul and >>> 0 behave identically in every engine.

export class Prng {
  a: number;
  b: number;
  c: number;
  d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the four words; then a few rounds to mix.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor(this.float() * n);
  }
}

/**
 * A keyed 32-bit hash of up to four words (a stand-in for the kernel's siphash in
 * net/core/secure_seq.c: `secure_tcp_seq()`, `secure_ipv4_port_ephemeral()`, `secure_tcp_ts_off()`).
 * Not cryptographic; what matters here is that it is keyed, deterministic and well mixed.
 */
export function keyedHash(key: number, w0: number, w1: number, w2: number, w3: number): number {
  let h = key ^ 0x811c9dc5;
  h = mix(h, w0);
  h = mix(h, w1);
  h = mix(h, w2);
  h = mix(h, w3);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

function mix(h: number, w: number): number {
  let k = Math.imul(w >>> 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}
