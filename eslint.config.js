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
    // common/: what the Electron form and the web form share — the contract, the trainer host, the trainer
    // client. Runtime-neutral: no Node, no Electron, no DOM, no UI; it imports core/ and libraries only.
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', ...nodeBuiltins], message: 'common/ also runs in a Web Worker and the renderer: no Node.' },
          { regex: '^electron(/.*)?$', message: 'common/ runs without Electron.' },
          { group: ['react', 'react-*', 'zustand', 'recharts'], message: 'common/ has no UI.' },
          { group: ['**/electron/**', '**/renderer/**', '**/node/**'], message: 'common/ imports only core/, common/ and libraries.' },
        ],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'require', 'Buffer', 'self', 'localStorage'],
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
          // A regex, not group ['electron/*']: gitignore-style groups would also match '../../electron/…'.
          { regex: '^electron(/.*)?$', message: 'Use window.api (the preload bridge), not Electron.' },
          { group: ['**/electron/**', '**/node/**'], message: 'The renderer may import core/ and common/ only.' },
        ],
      }],
    },
  },
  {
    // IPC only through the typed wrappers (GitHub Desktop's rule): main's in electron/main/ipc.ts, the
    // preload's in electron/preload/api.ts. Raw ipcMain / ipcRenderer / webContents.send anywhere else is an error.
    files: ['electron/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx', 'common/**/*.ts'],
    ignores: ['electron/main/ipc.ts'],
    rules: {
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[object.name='ipcMain']", message: 'Use the typed wrappers of electron/main/ipc.ts (createTypedIpc).' },
        { selector: "MemberExpression[object.name='ipcRenderer']", message: 'Use the typed wrappers of electron/preload/api.ts (typedIpc).' },
        { selector: "MemberExpression[property.name='send'][object.name=/^(webContents|contents|sender)$/]", message: 'Use sendToRenderer from electron/main/ipc.ts.' },
        { selector: "MemberExpression[property.name='send'][object.property.name=/^(webContents|sender)$/]", message: 'Use sendToRenderer from electron/main/ipc.ts.' },
      ],
    },
  },
  {
    files: ['tests/**/*.ts', 'tests/**/*.tsx', '*.config.ts', '*.config.js', '*.config.mts', '.ci/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
