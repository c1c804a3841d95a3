# The yardstick for `npm run bench`: d2l's softmax regression (batch 256, lr 0.1, W ~ N(0, 0.01), b = 0)
# in NumPy float32 (matmuls go to OpenBLAS). Prints one JSON line with per-epoch seconds and final metrics.
# Usage: python3 numpy_softmax.py DATA_DIR EPOCHS. Not part of the app; the bench spawns it.
# Per epoch: wall seconds and CPU seconds of the process (all threads).
# Legend: N = batch rows, D = 784 inputs, K = 10 classes.
import gzip
import json
import os
import sys
import time

import numpy as np


def read_bytes(data_dir, name):
    """The file's uncompressed bytes, from NAME.gz or NAME (Debian ships .gz; a user folder may not)."""
    path = os.path.join(data_dir, name)
    if os.path.exists(path + ".gz"):
        with gzip.open(path + ".gz", "rb") as f:
            return f.read()
    with open(path, "rb") as f:
        return f.read()


def load(data_dir, prefix):
    images = np.frombuffer(read_bytes(data_dir, prefix + "-images-idx3-ubyte"), dtype=np.uint8, offset=16).reshape(-1, 784)  # (count, D) uint8
    labels = np.frombuffer(read_bytes(data_dir, prefix + "-labels-idx1-ubyte"), dtype=np.uint8, offset=8).astype(np.int64)  # (count)
    return images, labels


def main():
    data_dir = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    xtr_u8, ytr = load(data_dir, "train")
    xte_u8, yte = load(data_dir, "t10k")
    # Like torchvision's ToTensor, the data loader hands out float32 in [0, 1]; we scale once up front,
    # as a DataLoader over an in-memory tensor would.
    xtr = xtr_u8.astype(np.float32) / np.float32(255)  # (60000, D)
    xte = xte_u8.astype(np.float32) / np.float32(255)  # (10000, D)
    rng = np.random.default_rng(0)
    W = rng.normal(0, 0.01, size=(784, 10)).astype(np.float32)  # (D, K)
    b = np.zeros(10, dtype=np.float32)  # (K)
    lr = np.float32(0.1)
    bs = 256
    n = xtr.shape[0]
    rows = np.arange(bs)
    times = []
    cpu_times = []
    train_loss = train_acc = test_acc = float("nan")
    for _ in range(epochs):
        t0 = time.perf_counter()
        c0 = time.process_time()
        perm = rng.permutation(n)
        loss_sum = 0.0
        correct = 0
        for s in range(0, n, bs):
            idx = perm[s:s + bs]
            X = xtr[idx]  # (N, D)
            y = ytr[idx]  # (N)
            m = X.shape[0]
            logits = X @ W + b  # (N, K)
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            p = e / e.sum(axis=1, keepdims=True)  # (N, K)
            r = rows[:m]
            loss_sum += float(-np.log(p[r, y]).sum())
            correct += int((p.argmax(axis=1) == y).sum())
            p[r, y] -= 1  # d(sum loss)/d logits = p - onehot
            W -= (lr / m) * (X.T @ p)
            b -= (lr / m) * p.sum(axis=0)
        test_acc = float(((xte @ W + b).argmax(axis=1) == yte).mean())
        times.append(time.perf_counter() - t0)
        cpu_times.append(time.process_time() - c0)
        train_loss = loss_sum / n
        train_acc = correct / n
    print(json.dumps({"kernel": "numpy", "epochs": epochs, "seconds": times, "cpuSeconds": cpu_times, "trainLoss": train_loss,
                      "trainAcc": train_acc, "testAcc": test_acc, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
