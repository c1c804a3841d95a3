// The inside views follow the weights live, but at most every LIVE_INTERVAL_MS and only while on screen:
// a counter that moves when they should recompute, read from a transient store subscription (the weights
// arrive ~10 times a second while training; React re-renders these views at most 4 times a second).

import { useEffect, useRef, useState, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { useLab } from '../../store';

/** Shortest time between two recomputations of an inside view while the weights change. */
export const LIVE_INTERVAL_MS = 250;

/** True while `ref`'s element is (partly) on screen; always true without IntersectionObserver (jsdom). */
export function useOnScreen(ref: RefObject<Element | null>): boolean {
  const [visible, setVisible] = useState(true);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver !== 'function') return;
    const observer = new IntersectionObserver((entries) => setVisible(entries.some((e) => e.isIntersecting)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return visible;
}

/**
 * A number that changes when the weights did, at most every `intervalMs`, while `active`; when it turns
 * active again after the weights moved, it changes once at once. A change from the timer is rendered at
 * once (flushSync), so the view's whole update (numbers, render, canvases painted in its effects) is one
 * piece of main-thread work, measured as the user-timing entry `measure` (DevTools' Performance panel
 * shows it; the end-to-end test reads it to check no update comes near a long task).
 */
export function useLiveWeightsVersion(active: boolean, measure: string, intervalMs = LIVE_INTERVAL_MS): number {
  const [version, setVersion] = useState(() => useLab.getState().weights.version);
  const last = useRef(-Infinity);
  useEffect(() => {
    if (!active) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const take = (): void => {
      timer = null;
      const start = performance.now();
      last.current = start;
      flushSync(() => setVersion(useLab.getState().weights.version));
      performance.measure(measure, { start, end: performance.now() });
    };
    setVersion(useLab.getState().weights.version);
    const off = useLab.subscribe((s) => s.weights.version, () => {
      if (timer !== null) return;
      timer = setTimeout(take, Math.max(0, intervalMs - (performance.now() - last.current)));
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, [active, intervalMs, measure]);
  return version;
}
