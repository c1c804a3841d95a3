// The one error type of node/data is core's DatasetError (the web loader throws it too): a stable code for
// programs (CLI exit codes, the Electron UI) and a message for people that names the file and the problem.
export { DatasetError, isDatasetError, type DatasetErrorCode } from '../../core/dataset-files';
