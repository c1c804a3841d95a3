// The real consumers of the exports that live in Python: NumPy for the .npz, the csv module for the CSV.
// Finds the Python interpreters on this machine by path (Debian's /usr/bin/python3, whose python3-numpy
// CI installs, and the python3 first on PATH) and runs short scripts in them, always with a timeout.

import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Every distinct python3 executable: /usr/bin/python3 and the one first on PATH. */
export function python3Paths(): string[] {
  const candidates = ['/usr/bin/python3', ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'python3'))];
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of candidates) {
    if (!existsSync(p)) continue;
    const real = realpathSync(p);
    if (seen.has(real) || seen.has(p)) continue;
    seen.add(real);
    seen.add(p);
    out.push(p);
  }
  return out;
}

/** Runs `script` with `python`, arguments after it; returns stdout, or throws with stderr. */
export function runPython(python: string, script: string, args: string[] = [], timeoutMs = 60_000): string {
  const r = spawnSync(python, ['-c', script, ...args], { encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${python} exited ${r.status ?? r.signal}:\n${r.stderr}`);
  return r.stdout;
}

/** The interpreters that can import numpy, with NumPy's version. */
export function pythonsWithNumpy(): { python: string; numpy: string }[] {
  const out: { python: string; numpy: string }[] = [];
  for (const python of python3Paths()) {
    try {
      out.push({ python, numpy: runPython(python, 'import numpy; print(numpy.__version__)', [], 20_000).trim() });
    } catch {
      // this interpreter has no NumPy
    }
  }
  return out;
}

/** Loads the Fashion-MNIST test split in Python as the README shows it (gzip + numpy.frombuffer). */
export const PY_LOAD_TEST_SET = `
import gzip, os
import numpy as np
def load_test(folder):
    def read(name, offset):
        path = os.path.join(folder, name)
        opener = gzip.open if os.path.exists(path + '.gz') else open
        with opener(path + '.gz' if os.path.exists(path + '.gz') else path, 'rb') as f:
            return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
    X = read('t10k-images-idx3-ubyte', 16).reshape(-1, 784).astype(np.float32) / 255
    y = read('t10k-labels-idx1-ubyte', 8)
    return X, y
`;
