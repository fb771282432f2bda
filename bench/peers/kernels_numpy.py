"""NumPy peer for bench/kernels.ts: staggered gradient + divergence (zero flux
on edges), float32, preallocated outputs. Prints one JSON line per size:
{"n": N, "ms": median ms per pair, "checksum": sum(|div|)}."""
import json
import sys
import time

import numpy as np


def field(n):
    j, i = np.meshgrid(np.arange(n, dtype=np.float64), np.arange(n, dtype=np.float64), indexing="ij")
    return (np.sin(0.01 * i) * np.cos(0.013 * j) * 100 + 0.001 * i * j).astype(np.float32)


def pair(s, gx, gy, d, invdx, invdy):
    np.subtract(s[:, 1:], s[:, :-1], out=gx)
    gx *= invdx
    np.subtract(s[1:, :], s[:-1, :], out=gy)
    gy *= invdy
    d[:, 0] = gx[:, 0]
    np.subtract(gx[:, 1:], gx[:, :-1], out=d[:, 1:-1])
    d[:, -1] = -gx[:, -1]
    d *= invdx
    d[0, :] += gy[0, :] * invdy
    d[1:-1, :] += (gy[1:, :] - gy[:-1, :]) * invdy
    d[-1, :] -= gy[-1, :] * invdy


def main():
    sizes = [int(a) for a in sys.argv[1:]]
    dx, dy = 100.0, 100.0
    for n in sizes:
        s = field(n)
        gx = np.empty((n, n - 1), np.float32)
        gy = np.empty((n - 1, n), np.float32)
        d = np.empty((n, n), np.float32)
        invdx, invdy = np.float32(1 / dx), np.float32(1 / dy)
        pair(s, gx, gy, d, invdx, invdy)
        reps, t = [], 0.0
        while t < 0.4 or len(reps) < 5:
            t0 = time.perf_counter()
            pair(s, gx, gy, d, invdx, invdy)
            dt = time.perf_counter() - t0
            reps.append(dt)
            t += dt
        print(json.dumps({"n": n, "ms": 1000 * float(np.median(reps)), "checksum": float(np.abs(d.astype(np.float64)).sum())}), flush=True)


if __name__ == "__main__":
    main()
