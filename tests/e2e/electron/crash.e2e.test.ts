// A crash of the training process, as it happens to a user: the test kills the utility process by its
// pid (from app.getAppMetrics()) in the middle of a run; the window shows the crash banner, Restart
// starts a new training process that loads the dataset and trains again, and the run history lists the
// cut run as crashed. Skipped, with the reason, when no Electron binary.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../harness';
import { binary, datasetReady, readout, setNumberField, status, titled, trainerPid, useDesktopApp, waitFor, warnIfSkipped } from './launch';

warnIfSkipped('crash.e2e.test.ts');

describe.skipIf(!binary.ok)(titled('the desktop app when its training process dies'), () => {
  const fixture = useDesktopApp();

  it('shows the crash banner, restarts with Restart, and records the run as cut by a crash', async () => {
    const { app, page, profile } = fixture.app;
    await setNumberField(page, 'Batch size', '16');
    await setNumberField(page, 'Epochs', '40');
    await page.getByLabel('Pace').selectOption('watch');
    await page.getByRole('button', { name: 'Start' }).click();
    await waitFor(page, async () => Number(await readout(page, 'data-batches')) >= 10, '10 batches');

    const killed = await trainerPid(app);
    process.kill(killed, 'SIGKILL');
    const banner = page.getByRole('alert').filter({ hasText: 'The trainer stopped unexpectedly' });
    await banner.waitFor({ timeout: 30_000 });
    expect(await page.getByRole('status').first().getAttribute('data-state')).toBe('crashed');
    expect(await status(page)).toMatch(/^The trainer stopped: \S/);
    expect(await page.getByRole('button', { name: 'Save model' }).isDisabled()).toBe(true);
    await screenshot(page, 'electron-crashed');

    await banner.getByRole('button', { name: 'Restart' }).click();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await datasetReady(page);
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/^Ready · /);
    const restarted = await trainerPid(app);
    expect(restarted).not.toBe(killed);

    // The cut run, in the window's history and in the profile's run files.
    const history = page.getByRole('region', { name: 'Run history' });
    await expect.poll(() => history.innerText(), { timeout: 15_000 }).toMatch(/cut by a crash/);
    const runs = readdirSync(join(profile, 'runs')).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(join(profile, 'runs', f), 'utf8')) as { outcome?: string });
    expect(runs.map((r) => r.outcome)).toContain('crashed');
    await screenshot(page, 'electron-restarted');

    // The new training process trains: the batch count moves on from whatever the restart left it at.
    const before = await readout(page, 'data-batches');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => status(page), { timeout: 30_000 }).toMatch(/^Training · /);
    await waitFor(page, async () => (await readout(page, 'data-batches')) !== before, 'a batch after the restart');
    const first = Number(await readout(page, 'data-batches'));
    await waitFor(page, async () => Number(await readout(page, 'data-batches')) >= first + 5, 'five more batches from the new process');
    expect(await trainerPid(app)).toBe(restarted);
    expect(fixture.app.pageErrors).toEqual([]);
  });
});
