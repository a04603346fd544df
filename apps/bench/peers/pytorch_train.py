#!/usr/bin/env python3
"""PyTorch peer of `pnpm bench train`: the paper's networks (the same layers as @timbre/models' presets),
batch 32, Adam 1e-3, cross-entropy, random data, one thread. Prints one JSON line per preset:
{"preset", "nMels", "secondsPerEpoch" (median step x 88 = 2800 samples), "steps", "torch", "threads"}.

  OPENBLAS_NUM_THREADS=1 python3 pytorch_train.py lenet-3x8:64 lstm-128:64 --batches 6
"""
import json
import statistics
import sys
import time

import torch
from torch import nn

torch.set_num_threads(1)
FRAMES, CLASSES, BATCH, STEPS_PER_EPOCH = 80, 14, 32, 88


class LeNet(nn.Module):
    def __init__(self, n_mels, kernel):
        super().__init__()
        kh, kw = kernel
        self.conv1 = nn.Conv2d(1, 6, kernel)
        self.conv2 = nn.Conv2d(6, 16, kernel)
        h = ((n_mels - kh + 1) // 2 - kh + 1) // 2
        w = ((FRAMES - kw + 1) // 2 - kw + 1) // 2
        self.fc = nn.Sequential(nn.Linear(16 * h * w, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, CLASSES))
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):  # x: [b, 1, n_mels, frames]
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc(torch.flatten(x, 1))


class Lstm(nn.Module):
    def __init__(self, n_mels, units):
        super().__init__()
        self.layers = nn.ModuleList()
        size = n_mels
        for u in units:
            self.layers.append(nn.LSTM(size, u, batch_first=True))
            size = u
        self.out = nn.Linear(size, CLASSES)

    def forward(self, x):  # x: [b, frames, n_mels]
        for layer in self.layers:
            x, _ = layer(x)
        return self.out(x[:, -1])


PRESETS = {
    "lenet-5x5": lambda m: (LeNet(m, (5, 5)), (1, m, FRAMES)),
    "lenet-3x8": lambda m: (LeNet(m, (3, 8)), (1, m, FRAMES)),
    "lstm-64": lambda m: (Lstm(m, [64]), (FRAMES, m)),
    "lstm-128": lambda m: (Lstm(m, [128]), (FRAMES, m)),
    "lstm-128-128": lambda m: (Lstm(m, [128, 128]), (FRAMES, m)),
    "lstm-128-64": lambda m: (Lstm(m, [128, 64]), (FRAMES, m)),
}


def epoch_seconds(preset, n_mels, batches):
    torch.manual_seed(0)
    model, shape = PRESETS[preset](n_mels)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(BATCH, *shape)
    y = torch.randint(0, CLASSES, (BATCH,))
    times = []
    for i in range(batches + 2):  # 2 warm-up steps
        t0 = time.perf_counter()
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        if i >= 2:
            times.append(time.perf_counter() - t0)
    return statistics.median(times) * STEPS_PER_EPOCH


def gemm_gflops(m, k, n):
    """torch.mm of [m, k] x [k, n] float32, 1 thread: the best of 5 runs of >= 0.1 s, GFLOP/s."""
    torch.manual_seed(0)
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    for _ in range(20):
        torch.mm(a, b)
    reps = max(10, int(2e9 / (2 * m * k * n)))
    best = 0.0
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.mm(a, b)
        best = max(best, 2 * m * k * n * reps / (time.perf_counter() - t0) / 1e9)
    return best


def main(argv):
    batches = 6
    specs = []
    i = 0
    while i < len(argv):
        if argv[i] == "--batches":
            batches = int(argv[i + 1])
            i += 2
            continue
        if argv[i] == "--gemm":
            m, k, n = (int(v) for v in argv[i + 1].split(":"))
            print(json.dumps({"gemm": [m, k, n], "gflops": gemm_gflops(m, k, n), "torch": torch.__version__,
                              "threads": torch.get_num_threads()}), flush=True)
            i += 2
            continue
        specs.append(argv[i])
        i += 1
    for spec in specs:
        preset, mels = spec.split(":")
        s = epoch_seconds(preset, int(mels), batches)
        print(json.dumps({"preset": preset, "nMels": int(mels), "secondsPerEpoch": s, "steps": batches,
                          "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
