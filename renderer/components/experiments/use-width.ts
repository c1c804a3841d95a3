// The width of an element in CSS pixels, followed with a ResizeObserver, so an SVG chart draws at its
// real size (crisp lines, text that does not scale) instead of stretching a viewBox.

import { useEffect, useRef, useState, type RefObject } from 'react';

/** A ref to put on the element, and its width (`fallback` until measured, and where nothing measures). */
export function useWidth<T extends HTMLElement>(fallback = 480): [RefObject<T | null>, number] {
  const ref = useRef<T | null>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => {
      const w = Math.round(el.clientWidth);
      if (w > 0) setWidth((old) => (old === w ? old : w));
    };
    measure();
    if (typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}
