// nstat counter slots. A host keeps them in a Float64Array; names are produced only when asked.

import type { CounterName } from '../types.ts';

export const COUNTER_NAMES: readonly CounterName[] = [
  'TcpActiveOpens',
  'TcpPassiveOpens',
  'TcpAttemptFails',
  'TcpEstabResets',
  'TcpRetransSegs',
  'TcpOutRsts',
  'TcpOutSegs',
  'TcpInSegs',
  'TcpExtTW',
  'TcpExtTWRecycled',
  'TcpExtTWKilled',
  'TcpExtTCPTimeWaitOverflow',
  'TcpExtTCPAbortOnData',
  'TcpExtTCPAbortOnClose',
  'TcpExtPAWSActive',
  'TcpExtPAWSEstab',
  'TcpExtPAWSPassive',
  'TcpExtTCPLossProbes',
];

export const C_ACTIVE_OPENS = 0;
export const C_PASSIVE_OPENS = 1;
export const C_ATTEMPT_FAILS = 2;
export const C_ESTAB_RESETS = 3;
export const C_RETRANS_SEGS = 4;
export const C_OUT_RSTS = 5;
export const C_OUT_SEGS = 6;
export const C_IN_SEGS = 7;
export const C_TW = 8;
export const C_TW_RECYCLED = 9;
export const C_TW_KILLED = 10;
export const C_TW_OVERFLOW = 11;
export const C_ABORT_ON_DATA = 12;
export const C_ABORT_ON_CLOSE = 13;
export const C_PAWS_ACTIVE = 14;
export const C_PAWS_ESTAB = 15;
export const C_PAWS_PASSIVE = 16;
export const C_LOSS_PROBES = 17;
