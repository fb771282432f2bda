"""PyTorch CPU peer for bench/tensor-backends.ts: the DLE emulator conv net
(3 -> 16 x [conv 3x3, 32 filters, leaky ReLU 0.01] -> 1x1 conv to 2 channels),
inference on one 256x256x3 frame and one Adam/MAE training step on 64 patches
32x32x3. Prints one JSON line with median milliseconds.
Usage: python3 tensor_torch.py THREADS INFER_REPS TRAIN_REPS"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn

threads, infer_reps, train_reps = (int(a) for a in sys.argv[1:4])
torch.set_num_threads(threads)
torch.manual_seed(0)

layers = []
cin = 3
for _ in range(16):
    layers += [nn.Conv2d(cin, 32, 3, padding=1), nn.LeakyReLU(0.01)]
    cin = 32
layers.append(nn.Conv2d(32, 2, 1))
net = nn.Sequential(*layers)
opt = torch.optim.Adam(net.parameters(), lr=1e-4)

frame = torch.rand(1, 3, 256, 256)
xb = torch.rand(64, 3, 32, 32)
yb = torch.rand(64, 2, 32, 32)


def infer():
    with torch.no_grad():
        return net(frame)


def train():
    opt.zero_grad()
    loss = (net(xb) - yb).abs().mean()
    loss.backward()
    opt.step()
    return loss


def median_ms(f, reps):
    f()  # warm-up
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        f()
        ts.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(ts)


print(json.dumps({
    "torch": torch.__version__,
    "threads": torch.get_num_threads(),
    "infer_ms": median_ms(infer, infer_reps),
    "train_ms": median_ms(train, train_reps),
}))
