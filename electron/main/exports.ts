// Saving the window's exports from main (the run report, the model for NumPy and ONNX, CSV tables) through
// the native save dialog, which is injected, with an atomic write (node/files/atomic-file.ts). The renderer
// made the bytes with core/export, as the web page does for its downloads; main checks the file is what it
// claims to be (common/contract.ts exportFileSchema) before it asks where, and writes nothing otherwise.

import { join } from 'node:path';
import { EXPORT_FORMATS, exportFileSchema, type SaveResult } from '../../common/contract';
import { writeFileAtomic } from '../../node/files/atomic-file';

/** The dialog call used (Electron's dialog.showSaveDialog bound to the parent window; a fake in tests). */
export interface ExportDialogs {
  showSaveDialog(opts: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
}

/** The dialog's title for each format. */
const TITLES: Readonly<Record<keyof typeof EXPORT_FORMATS, string>> = {
  report: 'Export run report',
  npz: 'Export for NumPy',
  onnx: 'Export ONNX',
  csv: 'Download CSV',
};

/**
 * Validates an export, asks where (suggesting `defaultDir`/its name), writes it atomically. An invalid
 * file is refused before the dialog opens; a cancelled dialog writes nothing.
 */
export async function saveExportWithDialog(dialogs: ExportDialogs, file: unknown, defaultDir: string): Promise<SaveResult> {
  const parsed = exportFileSchema.safeParse(file);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { saved: false, reason: 'error', message: `the export is invalid (${issue?.path.join('.') || 'file'}: ${issue?.message ?? 'invalid'}); nothing was written` };
  }
  const { format, name, data } = parsed.data;
  const spec = EXPORT_FORMATS[format];
  const choice = await dialogs.showSaveDialog({ title: TITLES[format], defaultPath: join(defaultDir, name), filters: [{ name: spec.filter, extensions: [spec.extension] }] });
  if (choice.canceled || !choice.filePath) return { saved: false, reason: 'cancelled' };
  try {
    await writeFileAtomic(choice.filePath, data);
    return { saved: true, path: choice.filePath };
  } catch (err) {
    return { saved: false, reason: 'error', message: `could not write ${choice.filePath}: ${(err as Error).message}` };
  }
}
