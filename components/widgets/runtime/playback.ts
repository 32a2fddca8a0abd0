// Playback of a run along its compressed time axis: play/pause, step to the previous or next instant
// at which something happens, speed, and the keyboard shortcuts. The widget owns the instant `t`; this
// hook only moves it. Playing advances at a steady pace on the compressed axis (see ./time.ts), so a
// 60 s TIME_WAIT takes about as long to watch as a 5 ms flight, and it never needs a minute.
//
// With prefers-reduced-motion, play jumps from instant to instant (no sliding arrows).

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { TimeAxis } from './time.ts';

/** Axis units per second of wall time at speed 1. */
export const UNITS_PER_SECOND = 48;
export const SPEEDS = [0.5, 1, 2, 4] as const;

export interface Playback {
  playing: boolean;
  speed: number;
  reducedMotion: boolean;
  toggle(): void;
  pause(): void;
  setSpeed(s: number): void;
  stepForward(): void;
  stepBack(): void;
  toStart(): void;
  toEnd(): void;
  /** Handle the widget's keyboard shortcuts; returns true when the key was used. */
  onKey(e: KeyboardEvent): boolean;
}

export function next(instants: readonly number[], t: number, end: number): number {
  for (const i of instants) if (i > t) return i;
  return Math.max(t, end);
}

export function prev(instants: readonly number[], t: number): number {
  let out = 0;
  for (const i of instants) {
    if (i >= t) break;
    out = i;
  }
  return out;
}

export function usePlayback(
  axis: TimeAxis,
  instants: readonly number[],
  t: number,
  setT: (t: number) => void,
): Playback {
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeedState] = useState(1);
  const [reducedMotion, setReduced] = useState(false);
  const tRef = useRef(t);
  tRef.current = t;
  const end = axis.end;

  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-reduced-motion: reduce)');
    setReduced(mq.matches);
    const on = () => setReduced(mq.matches);
    mq.addEventListener?.('change', on);
    return () => mq.removeEventListener?.('change', on);
  }, []);

  useEffect(() => {
    if (!playing) return;
    if (reducedMotion) {
      const id = setInterval(() => {
        const n = next(instants, tRef.current, end);
        setT(n);
        if (n >= end) setPlaying(false);
      }, 700 / speed);
      return () => clearInterval(id);
    }
    let raf = 0;
    let last = performance.now();
    let pos = axis.toPos(tRef.current);
    const frame = (now: number) => {
      pos += ((now - last) / 1000) * UNITS_PER_SECOND * speed;
      last = now;
      if (pos >= axis.total) {
        setT(end);
        setPlaying(false);
        return;
      }
      setT(axis.toTime(pos));
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => cancelAnimationFrame(raf);
  }, [playing, reducedMotion, speed, axis, instants, end, setT]);

  const toggle = useCallback(() => {
    setPlaying((p) => {
      if (!p && tRef.current >= end) setT(0);
      return !p;
    });
  }, [end, setT]);
  const pause = useCallback(() => setPlaying(false), []);
  const stepForward = useCallback(() => {
    setPlaying(false);
    setT(next(instants, tRef.current, end));
  }, [instants, end, setT]);
  const stepBack = useCallback(() => {
    setPlaying(false);
    setT(prev(instants, tRef.current));
  }, [instants, setT]);
  const toStart = useCallback(() => {
    setPlaying(false);
    setT(0);
  }, [setT]);
  const toEnd = useCallback(() => {
    setPlaying(false);
    setT(end);
  }, [end, setT]);
  const setSpeed = useCallback((s: number) => {
    if (SPEEDS.includes(s as (typeof SPEEDS)[number])) setSpeedState(s);
  }, []);

  const onKey = (e: KeyboardEvent): boolean => {
    if (e.ctrlKey || e.metaKey || e.altKey) return false;
    const el = e.target as HTMLElement | null;
    const tag = el?.tagName ?? '';
    if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || el?.isContentEditable) return false;
    const onButton = tag === 'BUTTON' || el?.getAttribute?.('role') === 'button';
    switch (e.key) {
      case ' ':
        if (onButton) return false;
        toggle();
        return true;
      case 'k':
      case 'K':
        toggle();
        return true;
      case 'j':
      case 'J':
      case ',':
        stepBack();
        return true;
      case 'l':
      case 'L':
      case '.':
        stepForward();
        return true;
      case 'Home':
        toStart();
        return true;
      case 'End':
        toEnd();
        return true;
      default:
        return false;
    }
  };

  return {
    playing,
    speed,
    reducedMotion,
    toggle,
    pause,
    setSpeed,
    stepForward,
    stepBack,
    toStart,
    toEnd,
    onKey,
  };
}
