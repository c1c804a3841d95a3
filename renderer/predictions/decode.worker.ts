// A Web Worker that decodes and preprocesses the user's image (decode.ts, preprocess.ts) off the main
// thread: Chromium resizes a big decoded picture on the calling thread (0.7 s for a 6000x4000 PNG),
// which would freeze the window. One request in, one answer out; the step images are transferred.

import { prepareImageHere, type PrepareResult } from './decode';

/** A request: decode `file` to at most `maxSide` px on a side, then preprocess it. */
export interface DecodeRequest {
  id: number;
  file: Blob;
  name: string;
  maxSide: number;
}

/** The answer to request `id`. */
export interface DecodeReply {
  id: number;
  result: PrepareResult;
}

interface WorkerScope {
  postMessage(msg: DecodeReply, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent<DecodeRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (ev) => {
  const { id, file, name, maxSide } = ev.data;
  prepareImageHere(file, name, maxSide).then(
    (result) => {
      const buffers = result.ok ? [...new Set([result.result.input.buffer, ...result.result.steps.map((s) => s.image.data.buffer)])] : [];
      scope.postMessage({ id, result }, buffers as ArrayBuffer[]);
    },
    () => scope.postMessage({ id, result: { ok: false, error: { code: 'corrupt', name } } }),
  );
};
