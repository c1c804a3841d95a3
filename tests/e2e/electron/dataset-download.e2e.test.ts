// The one place the real download is tested: the desktop app with a fresh profile, no FASHION_MNIST_DIR and
// no Debian package finds no dataset, downloads Fashion-MNIST from the published mirrors with progress in
// the Dataset region, verifies it and caches it in its profile; started again, it reads the cache and
// downloads nothing. Skipped, with the reason, without an Electron binary or where the system package
// (/usr/share/datasets/fashion-mnist) would be found first.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from '../harness';
import { cleanUp, ensureAppBuilt, launchApp, skipReason, tempDir, titled, warnIfSkipped, type DesktopApp } from './launch';

const SYSTEM_DATASET = '/usr/share/datasets/fashion-mnist';
const reason = skipReason || (existsSync(SYSTEM_DATASET) ? `${SYSTEM_DATASET} exists, so the app would read it instead of downloading` : '');
warnIfSkipped('dataset-download.e2e.test.ts', reason);

/** The four files the cache must hold afterwards (NAME.gz as downloaded, or NAME when a mirror sent them plain). */
const CACHED = ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'];

/** The megabytes a "Loading FILE: x MB…" line reports for `file`, or null for another line. */
function loadedMb(text: string, file: string): number | null {
  const m = new RegExp(`^Loading ${file}: (\\d+\\.\\d) MB`).exec(text);
  return m ? Number(m[1]) : null;
}

describe.skipIf(reason !== '')(titled('the desktop app with no dataset on the machine', reason), () => {
  let tmp = '';
  let profile = '';
  let desktop: DesktopApp | undefined;
  beforeAll(() => {
    tmp = tempDir();
    profile = join(tmp, 'profile');
    ensureAppBuilt();
  });
  afterAll(() => cleanUp(desktop, tmp));

  it('downloads Fashion-MNIST with progress, verifies it and caches it in its profile', async () => {
    desktop = await launchApp(tmp, { profile, dataDir: null });
    const { page } = desktop;
    const region = page.getByRole('region', { name: 'Dataset' });
    // Every state the Dataset region shows, recorded in the page as it changes (a fast mirror sends the
    // files quicker than a test could sample them): its status, text and the progress bar's value.
    await page.evaluate(() => {
      const w = window as unknown as { __datasetStates: { status: string; text: string; value: number | null }[] };
      w.__datasetStates = [];
      const record = (): void => {
        const section = document.querySelector('section.dataset');
        if (!section) return;
        const bar = section.querySelector('progress');
        const state = { status: section.getAttribute('data-status') ?? '', text: (section.textContent ?? '').trim(), value: bar && bar.hasAttribute('value') ? bar.value : null };
        const prev = w.__datasetStates[w.__datasetStates.length - 1];
        if (!prev || prev.text !== state.text || prev.value !== state.value || prev.status !== state.status) w.__datasetStates.push(state);
      };
      record();
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    const states = (): Promise<{ status: string; text: string; value: number | null }[]> => page.evaluate(() => (window as unknown as { __datasetStates: { status: string; text: string; value: number | null }[] }).__datasetStates);
    const end = Date.now() + 280_000;
    let seen = await states();
    while (!['ready', 'error'].includes(seen[seen.length - 1]?.status ?? '')) {
      if (Date.now() > end) throw new Error(`no dataset after 280 s; last: ${seen[seen.length - 1]?.text}`);
      await page.waitForTimeout(250);
      seen = await states();
    }
    const last = seen[seen.length - 1];
    expect(last.status, last.text).toBe('ready');
    expect(await region.innerText()).toMatch(/^Fashion-MNIST: 60000 training and 10000 test images · .*datasets.fashion-mnist \(downloaded\)/);

    // Progress was shown while the largest file came in: its name and a byte count that grew (with the
    // total, a percentage and a moving bar when the mirror announces a length).
    const distinct = seen.map((x) => x.text).filter((t, i, a) => a.indexOf(t) === i);
    const mb = seen.map((x) => loadedMb(x.text, 'train-images-idx3-ubyte')).filter((x): x is number => x !== null);
    expect(mb.length, `dataset texts seen: ${JSON.stringify(distinct.slice(0, 30))}`).toBeGreaterThan(1);
    expect(Math.max(...mb)).toBeGreaterThan(Math.min(...mb));
    const announced = seen.filter((x) => / MB of \d+\.\d MB \(\d+%\)$/.test(x.text) && x.value !== null).map((x) => x.value as number);
    if (announced.length > 1) expect(Math.max(...announced)).toBeGreaterThan(Math.min(...announced));
    await screenshot(page, 'electron-downloaded');

    // Cached, verified files in the profile (node/data moves a file in only after its SHA-256 checks out).
    const cache = join(profile, 'datasets', 'fashion-mnist');
    expect(readdirSync(cache).filter((f) => /-ubyte(\.gz)?$/.test(f)).map((f) => f.replace(/\.gz$/, '')).sort()).toEqual(CACHED);
    expect(await desktop.quit()).toBe(0);
    expect(desktop.pageErrors).toEqual([]);
  }, 300_000);

  it('started again with the same profile, reads the cache and downloads nothing', async () => {
    if (desktop?.app.process().exitCode === null) await desktop.app.close(); // one instance per profile
    desktop = await launchApp(tmp, { profile, dataDir: null });
    const { page } = desktop;
    const texts: string[] = [];
    const end = Date.now() + 90_000;
    for (;;) {
      const s = await page.evaluate(() => ({ status: document.querySelector('section.dataset')?.getAttribute('data-status') ?? '', text: (document.querySelector('section.dataset')?.textContent ?? '').trim() }));
      texts.push(s.text);
      if (s.status === 'ready' || s.status === 'error') break;
      if (Date.now() > end) throw new Error(`no dataset after 90 s; last: ${s.text}`);
      await page.waitForTimeout(100);
    }
    expect(texts[texts.length - 1]).toMatch(/^Fashion-MNIST: 60000 training and 10000 test images · .*datasets.fashion-mnist \(user cache\)/);
    expect(texts.filter((t) => / MB of .* MB/.test(t))).toEqual([]);
    expect(await desktop.quit()).toBe(0);
  }, 120_000);
});
