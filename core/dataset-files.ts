// The four Fashion-MNIST files as every loader sees them (files on disk, a download, the web page's fetch,
// bytes the user picked): their names, the gzip test, and the one error type a failed load throws.
// Pure: no Node, no DOM. node/data and the web loader both throw DatasetError; the trainer host turns it
// into the contract's datasetError message.

/** The four Fashion-MNIST files, by their canonical names (without .gz). */
export type DatasetFileName = 'train-images-idx3-ubyte' | 'train-labels-idx1-ubyte' | 't10k-images-idx3-ubyte' | 't10k-labels-idx1-ubyte';

/** The canonical file names in a fixed order. */
export const DATASET_FILES: readonly DatasetFileName[] = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];

/** True for the two images files: the fast kernels read their bytes (a loader may place them in the kernels' memory); labels are read by JS. */
export function isImagesFile(name: DatasetFileName): boolean {
  return name.endsWith('images-idx3-ubyte');
}

/**
 * The published files' uncompressed sizes in bytes: the bound every loader decompresses to (a gzip bomb
 * or a wrong file stops there). node/data's table adds their SHA-256.
 */
export const PUBLISHED_SIZES: Readonly<Record<DatasetFileName, number>> = {
  'train-images-idx3-ubyte': 47_040_016,
  'train-labels-idx1-ubyte': 60_008,
  't10k-images-idx3-ubyte': 7_840_016,
  't10k-labels-idx1-ubyte': 10_008,
};

/** True when `bytes` start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

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
  /** The connection failed, stalled or dropped mid-transfer (or the web page's server is unreachable). */
  | 'network'
  /** This host cannot load from that kind of source (a web page cannot read a folder by its path). */
  | 'unsupported'
  /** The caller cancelled (AbortSignal). */
  | 'aborted'
  /** Anything else (a bug): the message says what. */
  | 'unexpected';

/** A typed dataset error: a stable code for programs, a message for people that names the file. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  /** Every place searched (folders and URLs), when relevant. */
  readonly lookedIn: string[];
  /** How to get the files, when relevant. */
  readonly help: string;

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
}

/** True when `e` is a DatasetError (optionally with the given code). */
export function isDatasetError(e: unknown, code?: DatasetErrorCode): e is DatasetError {
  return e instanceof DatasetError && (code === undefined || e.code === code);
}
