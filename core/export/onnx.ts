// The model as ONNX runtimes read it: probabilities = Softmax(x @ W + b), a MatMul, an Add and a
// Softmax(axis=1) node with W and b as initializers. Input `x` is float32 [N, 784] with pixels in
// [0, 1] (as the app feeds its kernels); output `probabilities` is float32 [N, 10].
// Pure: returns the ModelProto bytes, encoded with onnx-proto's generated protobuf definitions.
// Legend: N = images (symbolic), D = 784 inputs, K = 10 classes.

import onnxProto from 'onnx-proto';
import { allFinite } from '../model';
import { CLASS_NAMES, NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../shapes';

// onnx-proto is CommonJS (module.exports = { onnx }): the default import works under Node's ESM loader,
// Vite and vitest alike, where a named import would not under Node.
const { onnx } = onnxProto;

/**
 * IR version 7 with opset 13: ONNX 1.8's pair, the first opset whose Softmax normalises over one axis
 * (the one we name) rather than flattening the trailing ones. Any ONNX Runtime since 1.6 loads it.
 */
export const ONNX_IR_VERSION = 7;
/** The default-domain operator set the graph uses. */
export const ONNX_OPSET = 13;
/** Names of the graph's input and output. */
export const ONNX_INPUT = 'x';
export const ONNX_OUTPUT = 'probabilities';

/** What the exported model says about where it came from. */
export interface OnnxOptions {
  /** The app's version, written as the model's producer_version. */
  appVersion?: string;
  /** A one-line description (e.g. the configuration and final test accuracy), kept as the doc string. */
  description?: string;
}

/** float32 values as little-endian bytes (TensorProto.raw_data is little-endian on every host). */
function float32LeBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return out;
}

function tensorType(dims: (number | string)[]) {
  return {
    tensorType: {
      elemType: onnx.TensorProto.DataType.FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) },
    },
  };
}

/**
 * Encodes the model as an ONNX ModelProto. params: (D*K + K) W (D, K) row-major then b (K), as
 * Trainer.weights() returns; W is stored as a [784, 10] tensor, so MatMul(x, W) is x @ W.
 */
export function encodeModelOnnx(params: Float32Array, opts: OnnxOptions = {}): Uint8Array {
  if (params.length !== NUM_PARAMS) throw new RangeError(`expected ${NUM_PARAMS} parameters, got ${params.length}`);
  if (!allFinite(params)) throw new RangeError('the weights contain NaN or Infinity; a diverged model is not exported');
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: 'Softmax Lab',
    producerVersion: opts.appVersion ?? '',
    docString: opts.description ?? 'Softmax regression on Fashion-MNIST: probabilities = softmax(x @ W + b), x = pixels / 255.',
    metadataProps: [{ key: 'class_names', value: JSON.stringify(CLASS_NAMES) }],
    graph: {
      name: 'softmax_regression',
      input: [{ name: ONNX_INPUT, type: tensorType(['N', D]), docString: 'N images of 28x28 pixels, row by row, scaled to [0, 1]' }],
      output: [{ name: ONNX_OUTPUT, type: tensorType(['N', K]), docString: 'class probabilities, in the order of the class_names metadata' }],
      initializer: [
        { name: 'W', dims: [D, K], dataType: onnx.TensorProto.DataType.FLOAT, rawData: float32LeBytes(params.subarray(0, D * K)) },
        { name: 'b', dims: [K], dataType: onnx.TensorProto.DataType.FLOAT, rawData: float32LeBytes(params.subarray(D * K)) },
      ],
      node: [
        { name: 'matmul', opType: 'MatMul', input: [ONNX_INPUT, 'W'], output: ['xW'] },
        { name: 'add_bias', opType: 'Add', input: ['xW', 'b'], output: ['logits'] },
        {
          name: 'softmax', opType: 'Softmax', input: ['logits'], output: [ONNX_OUTPUT],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
        },
      ],
    },
  });
  // protobufjs hands back a Node Buffer under Node (a view on a shared pool); a plain copy keeps the
  // result the same type in every runtime.
  return new Uint8Array(onnx.ModelProto.encode(model).finish());
}
