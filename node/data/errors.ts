// The one error type of node/data is core's DatasetError (the web loader throws it too): a stable code for
// programs (CLI exit codes, the Electron UI) and a message for people that names the file and the problem.
import { DatasetError } from '../../core/dataset-files';

export { DatasetError, isDatasetError, type DatasetErrorCode } from '../../core/dataset-files';

/** The 'unreadable' error for the file at `path` that could not be opened or read (`e`, the cause). */
export function unreadable(path: string, e: unknown): DatasetError {
  return new DatasetError('unreadable', path, `${path}: cannot read (${(e as Error).message})`, { cause: e });
}
