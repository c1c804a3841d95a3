// Lint, and the layering rules: which folder may import what (as VS Code's layer rule does).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = ['fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'http', 'https', 'zlib', 'crypto', 'url', 'stream', 'events', 'net', 'util'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'coverage/**', 'tests/e2e/screenshots/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.es2022 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // core/ is pure TypeScript: no DOM, Node, Electron, React, and no Math.random (seeded RNG only).
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', ...nodeBuiltins], message: 'core/ must not use Node: it also runs in a Web Worker.' },
          { group: ['electron', 'electron/*'], message: 'core/ must not use Electron.' },
          { group: ['react', 'react-*', 'zustand', 'recharts'], message: 'core/ has no UI.' },
          { group: ['**/node/**', '**/electron/**', '**/renderer/**'], message: 'core/ imports only core/.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'require', 'Buffer', 'self'],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use core/rng with an explicit seed.' }],
    },
  },
  {
    // node/: Node-only code shared by the CLI, the bench and the Electron utility process.
    files: ['node/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['electron', 'electron/*'], message: 'node/ runs without Electron (CLI, bench, utility process).' },
          { group: ['**/renderer/**', '**/electron/**'], message: 'node/ imports only core/ and node/.' },
          { group: ['react', 'react-*'], message: 'node/ has no UI.' },
        ],
      }],
    },
  },
  {
    files: ['electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', ...nodeBuiltins, 'electron', 'electron/*'], message: 'electron/shared is the contract: types and validators only, shared with the renderer.' },
          { group: ['**/main/**', '**/preload/**', '**/worker/**', '**/renderer/**', '**/node/**'], message: 'electron/shared imports only core/ and libraries.' },
        ],
      }],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/worker/**/*.ts', 'electron/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/renderer/**'], message: 'The Electron side does not import renderer code.' },
          { group: ['react', 'react-*'], message: 'No UI outside renderer/.' },
        ],
      }],
    },
  },
  {
    // The renderer talks to the world only through window.api (the bridge); never Node or Electron.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', ...nodeBuiltins], message: 'The renderer is sandboxed: no Node.' },
          // A regex, not group ['electron/*']: gitignore-style groups also match '../../electron/shared/…'.
          { regex: '^electron(/.*)?$', message: 'Use window.api (the preload bridge), not Electron.' },
          { group: ['**/electron/main/**', '**/electron/preload/**', '**/electron/worker/**', '**/node/**'], message: 'The renderer may import core/ and electron/shared only.' },
        ],
      }],
    },
  },
  {
    files: ['tests/**/*.ts', 'tests/**/*.tsx', '*.config.ts', '*.config.js', '*.config.mts', '.ci/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
