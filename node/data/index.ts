// node/data: finding, downloading, verifying and reading the Fashion-MNIST files under Node (CLI, bench,
// Electron utility process, web dev server). Pure parsing and batching live in core/.
export * from './errors';
export * from './files';
export * from './read';
export * from './locate';
export * from './download';
export * from './load';
