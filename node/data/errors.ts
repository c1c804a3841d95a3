// The one error type of node/data: a stable code for programs (CLI exit codes, the Electron UI) and a
// message for people that names the file and the problem.

/** What went wrong while finding, reading, verifying or downloading the dataset. */
export type DatasetErrorCode =
  /** The four files are in none of the places searched, and downloading was off or failed. */
  | 'not-found'
  /** A file exists but could not be read. */
  | 'unreadable'
  /** A `.gz` file is not valid gzip data. */
  | 'bad-gzip'
  /** A file (or a download) ends early: truncated gzip stream, or fewer bytes than announced. */
  | 'truncated'
  /** Decompressing would exceed the size bound (a gzip bomb, or not the file we expect). */
  | 'too-large'
  /** The uncompressed size differs from the published file's. */
  | 'size-mismatch'
  /** The uncompressed bytes do not have the published SHA-256. */
  | 'checksum-mismatch'
  /** The bytes are not a valid Fashion-MNIST IDX file (see `cause`, a core IdxError). */
  | 'invalid-idx'
  /** A mirror answered with an HTTP error status. */
  | 'http-status'
  /** The connection failed, stalled or dropped mid-transfer. */
  | 'network'
  /** The caller cancelled (AbortSignal). */
  | 'aborted';

/** A typed dataset error. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    /** Which problem. */
    readonly code: DatasetErrorCode,
    /** The file (path, URL or canonical name) concerned, or null when the problem is not one file's. */
    readonly file: string | null,
    message: string,
    options?: {
      cause?: unknown;
      /** Every place searched, for not-found errors. */
      lookedIn?: string[];
      /** How to get the files, for not-found errors. */
      help?: string;
    },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.lookedIn = options?.lookedIn ?? [];
    this.help = options?.help ?? '';
  }

  /** Every place searched (folders and URLs), when relevant. */
  readonly lookedIn: string[];
  /** How to get the files, when relevant. */
  readonly help: string;
}

/** True when `e` is a DatasetError (optionally with the given code). */
export function isDatasetError(e: unknown, code?: DatasetErrorCode): e is DatasetError {
  return e instanceof DatasetError && (code === undefined || e.code === code);
}
