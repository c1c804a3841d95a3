// Save model and Open model in the desktop app through its native dialogs, stubbed in main (the test
// answers the save and open dialogs with paths of its own): the trained weights are written, Reset
// replaces them, and opening the file brings back exactly the saved W and b, as a second save shows.
// Skipped, with the reason, when no Electron binary.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binary, notice, setNumberField, status, titled, useDesktopApp, warnIfSkipped } from './launch';

warnIfSkipped('model-file.e2e.test.ts');

/** The parts of a model file the round trip compares. */
interface SavedModel {
  W: number[];
  b: number[];
  checksum: { value: string };
}

function readModel(path: string): SavedModel {
  return JSON.parse(readFileSync(path, 'utf8')) as SavedModel;
}

describe.skipIf(!binary.ok)(titled('model files in the desktop app'), () => {
  const fixture = useDesktopApp({ train: 512, test: 128 });

  /** Answers the next save dialog with `path` (main's dialog module, stubbed), clicks Save model, waits for the notice. */
  async function saveTo(path: string): Promise<SavedModel> {
    const { app, page } = fixture.app;
    await app.evaluate(({ dialog }, filePath) => {
      dialog.showSaveDialog = async () => ({ canceled: false, filePath });
    }, path);
    await page.getByRole('button', { name: 'Save model' }).click();
    await expect.poll(() => notice(page), { timeout: 15_000 }).toBe(`Saved to ${path}`);
    return readModel(path);
  }

  it('saves the trained weights, and opening the file after a Reset brings them back exactly', async () => {
    const { app, page } = fixture.app;
    await setNumberField(page, 'Batch size', '16');
    await setNumberField(page, 'Epochs', '2');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/^Done · Epoch 2\/2/);

    const trainedPath = join(fixture.tmp, 'trained.json');
    const trained = await saveTo(trainedPath);
    expect(trained.W).toHaveLength(7840);
    expect(trained.b).toHaveLength(10);

    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => status(page)).toMatch(/^Ready · Epoch 0\/2/);
    const afterReset = await saveTo(join(fixture.tmp, 'after-reset.json'));
    expect(afterReset.checksum.value).not.toBe(trained.checksum.value); // Reset really replaced the weights

    await app.evaluate(({ dialog }, filePath) => {
      dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [filePath] });
    }, trainedPath);
    await page.getByRole('button', { name: 'Open model' }).click();
    await expect.poll(() => notice(page), { timeout: 15_000 }).toBe(`Opened ${trainedPath}`);

    const reopened = await saveTo(join(fixture.tmp, 'reopened.json'));
    expect(reopened.W).toEqual(trained.W);
    expect(reopened.b).toEqual(trained.b);
    expect(reopened.checksum.value).toBe(trained.checksum.value);
    expect(fixture.app.pageErrors).toEqual([]);
  });
});
