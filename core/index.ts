// The public surface of core/: what hosts (CLI, utility process, Web Worker, renderer) import.
export * from './shapes';
export * from './rng';
export * from './idx';
export * from './dataset';
export * from './model';
export * from './softmax';
export * from './kernels/types';
export * from './kernels/reference';
export * from './train';
export * from './protocol';
export * from './session';
export * from './model-file';
