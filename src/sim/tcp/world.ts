// The shared state of one run that every layer reaches: clock, randomness, hosts, network, and the
// event listener (absent in fast runs: then no event object or string is ever built).

import type { Engine } from '../engine.ts';
import type { Host } from '../host.ts';
import type { Net } from '../net.ts';
import type { Prng } from '../prng.ts';
import type { Profile } from '../profiles.ts';
import type { CallRecord, SimEvent } from '../types.ts';
import type { Seg, TwPool } from './tcb.ts';

export interface World {
  engine: Engine;
  rng: Prng;
  profile: Profile;
  hosts: Host[];
  /** Address → host (NAT public addresses are resolved by the network, not here). */
  hostByIp: Map<number, Host>;
  net: Net;
  on: ((e: SimEvent) => void) | undefined;
  calls: CallRecord[];
  nextSegId: number;
  segments: number;
  connections: number;
  /** Where TIME_WAIT entries come from (tcb.ts TwPool; the load path puts fast/tw.ts's records here). */
  twPool: TwPool;
  /** Processed segments, ready for reuse (only when no listener could hold on to them). */
  segPool: Seg[];
}
