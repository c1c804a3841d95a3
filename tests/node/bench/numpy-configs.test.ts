// The bench's NumPy yardstick: four configurations (default threads or one; this machine's OpenBLAS
// settings or none), the OpenBLAS variables unset only in the environment of that one command, and the
// ratio taken against the fastest measured.

import { describe, expect, it } from 'vitest';
import { fastestNumpy, NUMPY_CONFIGS, numpyEnv } from '../../../node/bench/numpy-configs';

const machine = { PATH: '/usr/bin', OPENBLAS_CORETYPE: 'Haswell', OPENBLAS_L2_SIZE: '512' };

describe('NUMPY_CONFIGS', () => {
  it('covers default threads and one thread, each with and without the machine OpenBLAS settings', () => {
    expect(NUMPY_CONFIGS.map((c) => [c.oneThread, c.unsetOpenblasTuning])).toEqual([[false, false], [true, false], [false, true], [true, true]]);
    expect(new Set(NUMPY_CONFIGS.map((c) => c.name)).size).toBe(4);
  });

  it('numpyEnv unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE for that command only, and sets one thread where asked', () => {
    const base = { ...machine };
    const envs = NUMPY_CONFIGS.map((c) => numpyEnv(c, base));
    expect(envs[0]).toEqual(machine);
    expect(envs[1]).toEqual({ ...machine, OPENBLAS_NUM_THREADS: '1' });
    expect(envs[2]).toEqual({ PATH: '/usr/bin' });
    expect(envs[3]).toEqual({ PATH: '/usr/bin', OPENBLAS_NUM_THREADS: '1' });
    expect(base).toEqual(machine); // the bench's own environment is untouched
  });
});

describe('fastestNumpy', () => {
  it('picks the smallest median epoch, null when nothing was measured', () => {
    expect(fastestNumpy(new Map([['numpy', 0.05], ['numpy-1thread', 0.063], ['numpy-openblas-unset', 0.045]]))).toEqual({ name: 'numpy-openblas-unset', seconds: 0.045 });
    expect(fastestNumpy(new Map())).toBeNull();
  });
});
