// The NumPy yardstick's configurations: every way a NumPy user here could run numpy_softmax.py (OpenBLAS's
// default threads or one; this machine's OpenBLAS settings or none), the environment of each, and which
// measured configuration is the fastest. Separate from run.ts so the tests can check them.

/** One NumPy configuration. */
export interface NumpyConfig {
  /** The bench line's name, e.g. 'numpy-1thread-openblas-unset'. */
  name: string;
  /** OPENBLAS_NUM_THREADS=1: single-threaded, and far steadier on a loaded machine. */
  oneThread: boolean;
  /**
   * OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from this command's environment alone: this machine
   * sets them for old OpenBLAS builds, and they slow a current one (which then picks its own kernels).
   */
  unsetOpenblasTuning: boolean;
}

/** The configurations a NumPy user here could get, in the order the bench runs them. */
export const NUMPY_CONFIGS: readonly NumpyConfig[] = [
  { name: 'numpy', oneThread: false, unsetOpenblasTuning: false },
  { name: 'numpy-1thread', oneThread: true, unsetOpenblasTuning: false },
  { name: 'numpy-openblas-unset', oneThread: false, unsetOpenblasTuning: true },
  { name: 'numpy-1thread-openblas-unset', oneThread: true, unsetOpenblasTuning: true },
];

/** The environment of one configuration's python3 command: a copy of `base`, which is left as it is. */
export function numpyEnv(config: NumpyConfig, base: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const env = { ...base };
  if (config.oneThread) env.OPENBLAS_NUM_THREADS = '1';
  if (config.unsetOpenblasTuning) {
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
  }
  return env;
}

/** The configuration with the smallest median epoch (seconds), or null when none was measured. */
export function fastestNumpy(medians: ReadonlyMap<string, number>): { name: string; seconds: number } | null {
  let best: { name: string; seconds: number } | null = null;
  for (const [name, seconds] of medians) if (!best || seconds < best.seconds) best = { name, seconds };
  return best;
}
