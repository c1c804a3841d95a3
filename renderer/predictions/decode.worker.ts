// A Web Worker that decodes and preprocesses the user's image (decode.ts, preprocess.ts) off the main
// thread: Chromium resizes a big decoded picture on the calling thread (0.7 s for a 6000x4000 PNG),
// which would freeze the window. One request in, one answer out (renderer/workers/worker-calls.ts); the
// step images are transferred.

import { serveCalls } from '../workers/worker-calls';
import { prepareImageHere, preparedBuffers, type DecodeRequest } from './decode';

serveCalls(({ file, name, maxSide }: DecodeRequest) => prepareImageHere(file, name, maxSide), preparedBuffers);
