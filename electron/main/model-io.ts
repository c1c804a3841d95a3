// Saving and opening model files from main through the native dialogs, which are injected. The file work
// itself (validation, atomic write, guarded read) is node/files/model-io.ts, shared with the CLI.

import type { OpenResult, SaveResult } from '../../common/contract';
import { writeFileAtomic } from '../../node/files/atomic-file';
import { readModelFile, validatedModelText } from '../../node/files/model-io';

/** The dialog calls used (Electron's dialog, bound to the parent window; fakes in tests). */
export interface ModelDialogs {
  showSaveDialog(opts: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
  showOpenDialog(opts: { title: string; properties: ('openFile')[]; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
}

const FILTERS = [{ name: 'Softmax Lab model', extensions: ['json'] }];

/** Validates, asks where, writes. Invalid models are refused before the dialog opens. */
export async function saveModelWithDialog(dialogs: ModelDialogs, model: unknown, defaultPath: string): Promise<SaveResult> {
  let text: string;
  try {
    text = validatedModelText(model);
  } catch (err) {
    return { saved: false, reason: 'error', message: (err as Error).message };
  }
  const choice = await dialogs.showSaveDialog({ title: 'Save model', defaultPath, filters: FILTERS });
  if (choice.canceled || !choice.filePath) return { saved: false, reason: 'cancelled' };
  try {
    await writeFileAtomic(choice.filePath, text);
    return { saved: true, path: choice.filePath };
  } catch (err) {
    return { saved: false, reason: 'error', message: `could not write ${choice.filePath}: ${(err as Error).message}` };
  }
}

/** Asks which file, reads and validates it. Nothing changes when it is refused. */
export async function openModelWithDialog(dialogs: ModelDialogs): Promise<OpenResult> {
  const choice = await dialogs.showOpenDialog({ title: 'Open model', properties: ['openFile'], filters: FILTERS });
  const path = choice.filePaths[0];
  if (choice.canceled || !path) return { opened: false, reason: 'cancelled' };
  try {
    return { opened: true, path, model: await readModelFile(path) };
  } catch (err) {
    return { opened: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
  }
}
