// @vitest-environment jsdom
// renderer/store/remembered.ts: a saved choice is read back only while valid, and storage that throws
// (disabled, private mode) makes a choice last the session without failing.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { readRemembered, remember } from '../../../renderer/store/remembered';

const isColour = (v: unknown): v is 'red' | 'blue' => v === 'red' || v === 'blue';

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
});

describe('remembered choices', () => {
  it('reads back what was saved, and nothing that is not a valid choice', () => {
    expect(readRemembered('k', isColour)).toBeNull();
    remember('k', 'blue');
    expect(readRemembered('k', isColour)).toBe('blue');
    localStorage.setItem('k', 'green');
    expect(readRemembered('k', isColour)).toBeNull();
  });

  it('does not fail when storage throws', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => { throw new Error('disabled'); });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => { throw new Error('disabled'); });
    expect(() => remember('k', 'red')).not.toThrow();
    expect(readRemembered('k', isColour)).toBeNull();
  });
});
