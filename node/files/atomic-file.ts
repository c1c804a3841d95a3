// Crash-safe file writes: the data goes to a temp file in the same folder, is fsynced, renamed over the
// target (atomic on POSIX and NTFS), and the folder is fsynced so the rename itself survives a power
// cut. A reader therefore sees the old file or the new one, never a torn mix. Stale temps are swept.
// Overwriting keeps what the user set up: a symlink is written through (its target is replaced, the link
// stays), and the file keeps its permissions (a 0600 file stays 0600). Only regular files are replaced.

import { randomBytes } from 'node:crypto';
import { lstat, open, readdir, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Temp files are `.<target name>.<random>.tmp` beside the target. */
const TEMP_RE = /^\..+\.[0-9a-f]{12}\.tmp$/;

/** True for a file name this module uses as a temp file. */
export function isTempFileName(name: string): boolean {
  return TEMP_RE.test(name);
}

/** Where a write to `path` lands (through symlinks) and the mode to give it (the existing file's, else 0644). */
async function writeTarget(path: string): Promise<{ target: string; mode: number }> {
  let target = path;
  try {
    if ((await lstat(path)).isSymbolicLink()) target = await realpath(path).catch(() => path);
  } catch {
    return { target, mode: 0o644 }; // nothing there yet
  }
  try {
    const st = await stat(target);
    if (!st.isFile()) throw new Error(`${path} exists and is not a regular file (a folder, FIFO or device); it was not replaced`);
    return { target, mode: st.mode & 0o7777 };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { target, mode: 0o644 }; // a dangling link: create its target
    throw err;
  }
}

/** Writes `data` to `path` atomically (temp file, fsync, rename, fsync of the folder). */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const { target, mode } = await writeTarget(path);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    await fh.chmod(mode); // open's mode is filtered by the umask
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, target);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dir);
}

/** fsyncs a folder so a rename in it is durable (not possible on Windows, where it is skipped). */
async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch {
    // some file systems refuse fsync on directories; the rename is still atomic
  } finally {
    await fh.close();
  }
}

/** Removes temp files left by a crash mid-write. Returns the names removed. */
export async function removeStaleTempFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const stale = names.filter(isTempFileName);
  await Promise.all(stale.map((n) => rm(join(dir, n), { force: true })));
  return stale;
}
