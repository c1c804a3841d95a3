// `npm run fetch-data -- --to DIR [--mirror BASE_URL …] [--deadline-s N]`: prepares an offline copy of
// Fashion-MNIST in DIR with node/data's bounded downloads (files already there and verified are kept).
// runFetchData is the logic, driven in-process by the tests; the last lines wire it to the process when
// this file is the entry point. It does not train: `npm run train -- --data DIR` does.

import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import { cliProgram, parseFlags } from './program';
import { downloadFile, type DownloadProgress } from '../data/download';
import { DatasetError } from '../data/errors';
import { DATASET_FILES, DEFAULT_MIRRORS, FASHION_MNIST_EXPECTED, type ExpectedTable } from '../data/files';
import { scanDir } from '../data/locate';
import { readVerified } from '../data/read';

/** Exit codes of `npm run fetch-data`. */
export const FETCH_EXIT = {
  /** The four verified files are in DIR. */
  ok: 0,
  /** A file could not be fetched or verified (one line on stderr says which and why). */
  failed: 1,
  /** Bad flags. */
  usage: 2,
  /** Ctrl-C; the partial file was removed. */
  interrupted: 130,
} as const;

/** Longest --deadline-s accepted: a day (and well inside what a timer can hold). */
export const MAX_DEADLINE_S = 86_400;

/** A writable text stream (process.stdout, or a test's collector). */
export interface TextOut {
  write(text: string): unknown;
  /** True when a person is watching: progress is redrawn in place. */
  isTTY?: boolean;
}

/** What runFetchData needs from its process. */
export interface FetchDataIO {
  stdout: TextOut;
  stderr: TextOut;
  /** Aborted on Ctrl-C: the download stops and its temp file is removed. */
  signal?: AbortSignal;
  /** Expected sizes and hashes; the published table by default (tests pass their fixtures' table). */
  expected?: ExpectedTable;
}

/** Parsed flags. */
export interface FetchDataOptions {
  /** The folder to fill (absolute). */
  to: string;
  /** Base URLs, tried in order; the published HTTPS mirrors when none is named. */
  mirrors: readonly string[];
  /** Whole-transfer deadline per file and mirror (ms), or undefined for the size-scaled default. */
  deadlineMs?: number;
}

function mirrorArg(value: string, previous: string[] | undefined): string[] {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('a mirror must be a URL such as https://example.org/fashion/.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('a mirror must be an http:// or https:// URL.');
  return [...(previous ?? []), value];
}

function deadlineArg(value: string): number {
  const s = Number(value);
  if (value.trim() === '' || !Number.isFinite(s) || s <= 0 || s > MAX_DEADLINE_S) {
    throw new InvalidArgumentError(`the deadline must be a number of seconds above 0 and at most ${MAX_DEADLINE_S}.`);
  }
  return s;
}

function buildProgram(io: FetchDataIO): Command {
  return cliProgram('fetch-data', 'Download the four Fashion-MNIST files into a folder, verified, for offline use (npm run train -- --data DIR).', io)
    .requiredOption('--to <dir>', 'the folder to put the files in (created if needed)')
    .option('--mirror <base-url>', `a base URL under which the four .gz files live, tried in the order given (repeatable; used as given, http allowed); default ${DEFAULT_MIRRORS.join(' then ')}`, mirrorArg)
    .option('--deadline-s <seconds>', 'give up on a mirror when one file takes longer than this (default: 60 s plus the file at 50 kB/s)', deadlineArg);
}

/** Parses argv (flags only). Returns the options, or an exit code when it printed help (0) or a one-line usage error (2). */
export function parseFetchDataArgs(argv: readonly string[], io: FetchDataIO): FetchDataOptions | number {
  const program = buildProgram(io);
  const parsed = parseFlags(program, argv, io);
  if (parsed !== null) return parsed;
  const o = program.opts<{ to: string; mirror?: string[]; deadlineS?: number }>();
  if (o.to.trim() === '') {
    io.stderr.write("error: --to needs a folder (an empty path would mean the current folder)\n");
    return FETCH_EXIT.usage;
  }
  return { to: resolve(o.to), mirrors: o.mirror ?? DEFAULT_MIRRORS, deadlineMs: o.deadlineS === undefined ? undefined : o.deadlineS * 1000 };
}

/** Prints download progress: a line per file and mirror, redrawn in place on a terminal. */
function progressPrinter(io: FetchDataIO): { onProgress: (p: DownloadProgress) => void; endLine: () => void } {
  let last = '';
  let lastPercent = -1;
  let inPlace = false; // a redrawn line is on screen without its newline
  const endLine = (): void => {
    if (inPlace) io.stderr.write('\n');
    inPlace = false;
  };
  const onProgress = (p: DownloadProgress): void => {
    if (p.phase !== 'downloading') return;
    const key = `${p.file} ${p.from}`;
    if (key !== last) {
      endLine();
      last = key;
      lastPercent = -1;
      if (!io.stderr.isTTY) io.stderr.write(`downloading ${p.file}.gz from ${p.from}\n`);
    }
    const percent = p.percent === undefined ? -1 : Math.floor(p.percent);
    if (io.stderr.isTTY && percent !== lastPercent) {
      lastPercent = percent;
      inPlace = true;
      io.stderr.write(`\rdownloading ${p.file}.gz from ${p.from} ${percent >= 0 ? `${percent}%` : `${p.bytes} bytes`}   `);
    }
  };
  return { onProgress, endLine };
}

/**
 * Runs `npm run fetch-data` with `argv` (flags only): each of the four files already in DIR and matching
 * the published size and SHA-256 is kept, the others are downloaded (bounded, verified, moved in
 * atomically). Returns the exit code: 0 the four verified files are in DIR, 1 a file could not be had
 * (one line on stderr), 2 bad flags, 130 interrupted.
 */
export async function runFetchData(argv: readonly string[], io: FetchDataIO): Promise<number> {
  const parsed = parseFetchDataArgs(argv, io);
  if (typeof parsed === 'number') return parsed;
  const expected = io.expected ?? FASHION_MNIST_EXPECTED;
  const { onProgress, endLine } = progressPrinter(io);
  try {
    for (const name of DATASET_FILES) {
      const have = scanDir(parsed.to).files[name];
      if (have) {
        try {
          await readVerified(have.path, name, { verify: 'strict', expected });
          io.stderr.write(`${name}: already in ${parsed.to}, verified\n`);
          continue;
        } catch (e) {
          if (!(e instanceof DatasetError)) throw e;
          io.stderr.write(`${name}: ${have.path} is not the published file (${e.code}); fetching it again\n`);
        }
      }
      const path = await downloadFile(name, parsed.to, { mirrors: parsed.mirrors, expected, deadlineMs: parsed.deadlineMs, signal: io.signal, onProgress });
      endLine();
      // A refused copy under the other form (NAME.gz vs NAME) would stay beside the good one.
      if (have && have.path !== path) await rm(have.path, { force: true });
    }
  } catch (e) {
    endLine();
    if (!(e instanceof DatasetError)) throw e;
    if (e.code === 'aborted') {
      io.stderr.write('interrupted; the partial file was removed\n');
      return FETCH_EXIT.interrupted;
    }
    io.stderr.write(`error: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
    return FETCH_EXIT.failed;
  }
  io.stdout.write(`${parsed.to}: the four Fashion-MNIST files, verified (use them with npm run train -- --data ${parsed.to})\n`);
  return FETCH_EXIT.ok;
}

// The process wiring, when this file is run (npm run fetch-data) rather than imported (the tests).
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const controller = new AbortController();
  // The first Ctrl-C cancels the download (its temp file is removed) and exits 130; a second kills at once.
  process.once('SIGINT', () => controller.abort());
  process.exitCode = await runFetchData(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
}
