// Fixed shapes and names of the Fashion-MNIST softmax-regression problem.
// Legend used across core/: N = rows in a batch, D = 784 inputs (28x28 pixels), K = 10 classes.

/** Side of a Fashion-MNIST image in pixels. */
export const IMAGE_SIDE = 28;
/** D: inputs per example, a 28x28 image flattened row by row. */
export const NUM_INPUTS = IMAGE_SIDE * IMAGE_SIDE;
/** K: number of classes. */
export const NUM_CLASSES = 10;
/** Length of the one parameter buffer: W (D, K) row-major, then b (K). */
export const NUM_PARAMS = NUM_INPUTS * NUM_CLASSES + NUM_CLASSES;

/** Class names in label order (0..9), as d2l's `get_fashion_mnist_labels`. */
export const CLASS_NAMES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat',
  'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

/** One class name. */
export type ClassName = (typeof CLASS_NAMES)[number];
