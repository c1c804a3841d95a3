// A process that saves files in a tight loop with writeFileAtomic, to be SIGKILLed at random moments by
// atomic-file.test.ts. Each file's content at version v is fully determined by v (see expectedContent),
// so the parent can tell a complete old or new version from a torn one.

import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../node/files/atomic-file';

/** The exact content of a file at version v: JSON with a large body derived from v. */
export function expectedContent(name: string, v: number): string {
  const size = 100_000 + (v % 7) * 37_000; // sizes differ between versions, so a mix is detectable
  return JSON.stringify({ name, version: v, body: String(v % 10).repeat(size) });
}

/** File names the child writes. */
export const CHILD_FILES = ['a.json', 'b.json', 'c.json'];

async function writeInPlace(path: string, data: string): Promise<void> {
  const fh = await open(path, 'w');
  const bytes = Buffer.from(data);
  for (let i = 0; i < bytes.length; i += 8192) await fh.write(bytes.subarray(i, i + 8192));
  await fh.close();
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const start = Number(process.argv[3] ?? '0');
  // 'plain' is the control: writing straight over the target (in 8 KB pieces, as a large write goes),
  // which a kill can tear.
  const save = process.argv[4] === 'plain' ? writeInPlace : writeFileAtomic;
  let v = start;
  for (const name of CHILD_FILES) await save(join(dir, name), expectedContent(name, v));
  process.stdout.write('ready\n');
  for (;;) {
    v++;
    for (const name of CHILD_FILES) await save(join(dir, name), expectedContent(name, v));
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) void main();
