// The "no long task" check of the end-to-end tests, for any page opened with the harness (whose init
// script records long tasks and long animation frames from the start): the long tasks since the last
// look, the machine's own stalls doing the same kind of rendering without the lab's work (so an
// overloaded machine is told apart from a slow page), and the assertion. The same rules as lab.e2e.test.ts.

import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A long animation frame, with its script and rendering parts. */
export interface LongFrame { start: number; duration: number; scriptMs: number; renderMs: number; scripts: { ms: number; what: string }[] }
/** A long task and the long animation frames that overlap it. */
export interface LongTask { start: number; duration: number; frames: LongFrame[] }

/** Long tasks recorded since the last call. */
export async function takeLongTasks(page: Page): Promise<LongTask[]> {
  return page.evaluate(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] | null; __longFrames: LongFrame[] | null };
    const tasks = w.__longTasks ?? [];
    const frames = w.__longFrames ?? [];
    w.__longTasks = [];
    if (w.__longFrames) w.__longFrames = [];
    return tasks.map((t) => ({ ...t, frames: frames.filter((f) => f.start < t.start + t.duration && f.start + f.duration > t.start) }));
  });
}

/**
 * The long tasks that were the page's own work: one no long animation frame covers is Playwright's own
 * script on the page's thread. Without the Long Animation Frames API, all of them count.
 */
export async function pageWork(page: Page, all: LongTask[]): Promise<LongTask[]> {
  const loaf = await page.evaluate(() => (window as unknown as { __longFrames: unknown }).__longFrames !== null);
  return loaf ? all.filter((t) => t.frames.length > 0) : all;
}

/** Long tasks over 50 ms while the page does 3 s of canvas and text rendering like a training run's, without the lab's work. */
export async function machineNoise(page: Page): Promise<number[]> {
  await takeLongTasks(page);
  await page.evaluate(() => new Promise<void>((resolve) => {
    const c = document.createElement('canvas');
    c.width = 900;
    c.height = 300;
    c.style.cssText = 'position:fixed;left:0;top:0;width:900px;height:300px;will-change:transform;pointer-events:none;opacity:0.02';
    const text = document.createElement('p');
    text.style.cssText = 'position:fixed;left:0;top:0;opacity:0.02';
    document.body.append(c, text);
    const ctx = c.getContext('2d') as CanvasRenderingContext2D;
    const end = performance.now() + 3000;
    let frame = 0;
    const tick = (): void => {
      frame++;
      ctx.clearRect(0, 0, 900, 300);
      ctx.beginPath();
      for (let i = 0; i < 600; i++) ctx.lineTo(i * 1.5, 150 + 100 * Math.sin((i + frame) / 20));
      ctx.stroke();
      text.textContent = `frame ${frame}`;
      if (performance.now() < end) requestAnimationFrame(tick);
      else {
        c.remove();
        text.remove();
        resolve();
      }
    };
    requestAnimationFrame(tick);
  }));
  return (await pageWork(page, await takeLongTasks(page))).filter((t) => t.duration > 50).map((t) => Math.round(t.duration));
}

/**
 * No long task over 50 ms in `all`. On an overloaded machine (machineNoise found stalls without the lab's
 * work, before or after) this warns, and fails only on tasks over max(250 ms, twice the worst stall).
 */
export async function expectNoLongTasks(page: Page, all: LongTask[], noiseBefore: number[], what: string): Promise<void> {
  const tasks = await pageWork(page, all);
  const long = tasks.filter((t) => t.duration > 50).map((t) => Math.round(t.duration));
  if (long.length === 0) return;
  const detail = JSON.stringify(tasks.filter((t) => t.duration > 50).map((t) => ({ ms: Math.round(t.duration), frames: t.frames })));
  const strict = process.env.SOFTMAX_LAB_STRICT_LONGTASKS === '1';
  const noise = noiseBefore.length > 0 || strict ? noiseBefore : await machineNoise(page);
  if (noise.length > 0 && !strict) {
    const bound = Math.max(250, 2 * Math.max(...noise));
    console.warn(`${what}: long tasks ${detail}, but the page without the lab's work had ${JSON.stringify(noise)} ms: machine overloaded, failing only above ${bound} ms`);
    expect(long.filter((d) => d > bound), `${what}: long tasks over ${bound} ms: ${detail}`).toEqual([]);
    return;
  }
  expect(long, `${what}: long tasks over 50 ms: ${detail}`).toEqual([]);
}

/**
 * The long tasks to judge a stretch by: `tasks` when none of the page's own is over 50 ms; otherwise
 * those of one more stretch of the same work (`again`), since a single stall of this shared machine is
 * not yet the page's, while a page that really blocks does it again.
 */
export async function lookAgainIfLong(page: Page, tasks: LongTask[], what: string, again: () => Promise<void>): Promise<LongTask[]> {
  const long = (await pageWork(page, tasks)).filter((t) => t.duration > 50);
  if (long.length === 0) return tasks;
  console.log(`${what}: long tasks ${JSON.stringify(long.map((t) => Math.round(t.duration)))}; looking again`);
  await takeLongTasks(page);
  await again();
  return takeLongTasks(page);
}
