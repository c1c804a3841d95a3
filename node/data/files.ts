// What the four Fashion-MNIST files are: names, sizes and SHA-256 of their UNCOMPRESSED bytes, and the
// places they are published. Node-only dataset code (node/data) checks files against this table;
// tests pass their own table for small fake files.

import { DATASET_FILES, PUBLISHED_SIZES, type DatasetFileName } from '../../core/dataset-files';

export { DATASET_FILES, type DatasetFileName };

/** Size and SHA-256 (hex) of one file's uncompressed bytes, and the size of its published `.gz`. */
export interface ExpectedFile {
  bytes: number;
  sha256: string;
  /** Size of the published `.gz` file, when known: what a download's deadline is scaled to. */
  gzBytes?: number;
}

/** Expected size and hash of each file, by canonical name. */
export type ExpectedTable = Readonly<Record<DatasetFileName, ExpectedFile>>;

/**
 * The published Fashion-MNIST files (zalandoresearch/fashion-mnist): uncompressed size and SHA-256, and
 * the size of Zalando's `.gz` (Debian's re-gzipped copies are 24 bytes smaller: no file name in the header).
 */
export const FASHION_MNIST_EXPECTED: ExpectedTable = {
  'train-images-idx3-ubyte': { bytes: PUBLISHED_SIZES['train-images-idx3-ubyte'], sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888', gzBytes: 26_421_880 },
  'train-labels-idx1-ubyte': { bytes: PUBLISHED_SIZES['train-labels-idx1-ubyte'], sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9', gzBytes: 29_515 },
  't10k-images-idx3-ubyte': { bytes: PUBLISHED_SIZES['t10k-images-idx3-ubyte'], sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b', gzBytes: 4_422_102 },
  't10k-labels-idx1-ubyte': { bytes: PUBLISHED_SIZES['t10k-labels-idx1-ubyte'], sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34', gzBytes: 5_148 },
};

/**
 * Where the `.gz` files are published, tried in order; HTTPS only (download.ts also refuses a redirect
 * from https to http). The first is Zalando's S3 bucket, the one their README links to, addressed through
 * its REST endpoint: the README's `http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/` is an S3
 * website endpoint, and those serve plain HTTP only, while the REST endpoint of the same public bucket
 * serves the same objects over HTTPS. The second is the copy kept in the official repository
 * (data/fashion/). The ossci-datasets bucket torchvision falls back to holds MNIST, not Fashion-MNIST.
 */
export const DEFAULT_MIRRORS: readonly string[] = [
  'https://fashion-mnist.s3.eu-central-1.amazonaws.com/',
  'https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/',
];

/** Where Debian's `dataset-fashion-mnist` package installs the files (re-gzipped). */
export const SYSTEM_DATASET_DIR = '/usr/share/datasets/fashion-mnist';

/** Environment variable naming a folder that holds the four files. */
export const DATASET_DIR_ENV = 'FASHION_MNIST_DIR';

/** How to get the files, for error messages (one line per way). */
export const HOW_TO_GET_FILES = [
  'install the Debian/Ubuntu package: sudo apt install dataset-fashion-mnist',
  `or download the four .gz files from ${DEFAULT_MIRRORS[0]} (see https://github.com/zalandoresearch/fashion-mnist) into a folder and pass --data DIR (or set ${DATASET_DIR_ENV})`,
].join('\n');
