"""NumPy peer for bench/kernels.ts, float32, same inputs as the bench.
mode "pair": staggered gradient + divergence (zero flux on edges), preallocated
outputs. mode "sia": the SIA-like explicit step of src/kernels/assembly/diffusion.ts.
Prints one JSON line per size: {"n": N, "ms": best ms of >= 5 runs and >= 0.4 s, "checksum": sum(|out|)}.
Usage: kernels_numpy.py pair|sia N..."""
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


def cap(n):
    j, i = np.meshgrid(np.arange(n, dtype=np.float64), np.arange(n, dtype=np.float64), indexing="ij")
    r2 = ((i - n / 2) / (n / 2.5)) ** 2 + ((j - n / 2) / (n / 2.5)) ** 2
    return np.where(r2 < 1, 500 * np.sqrt(np.maximum(0, 1 - r2)), 0).astype(np.float32)


def sia(h, out, invdx, invdy, c, dt):
    def flux(a, b, inv):
        g = (b - a) * inv
        m = np.float32(0.5) * (a + b)
        m2 = m * m
        return c * (m2 * m2 * m) * (g * g * g)  # products: np.power is 50x slower
    qx = flux(h[:, :-1], h[:, 1:], invdx) * invdx
    qy = flux(h[:-1, :], h[1:, :], invdy) * invdy
    d = np.zeros_like(h)
    d[:, :-1] += qx
    d[:, 1:] -= qx
    d[:-1, :] += qy
    d[1:, :] -= qy
    np.maximum(h + dt * d, 0, out=out)


def run(fn, args):
    fn(*args)
    reps, t = [], 0.0
    while t < 0.4 or len(reps) < 5:
        t0 = time.perf_counter()
        fn(*args)
        dt = time.perf_counter() - t0
        reps.append(dt)
        t += dt
    return 1000 * min(reps)


def main():
    mode = sys.argv[1]
    sizes = [int(a) for a in sys.argv[2:]]
    if mode == "sia":
        for n in sizes:
            h = cap(n)
            out = np.empty_like(h)
            ms = run(sia, (h, out, np.float32(1 / 1000), np.float32(1 / 1000), np.float32(1e-5), np.float32(0.1)))
            print(json.dumps({"n": n, "ms": ms, "checksum": float(np.abs(out.astype(np.float64)).sum())}), flush=True)
        return
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
        print(json.dumps({"n": n, "ms": 1000 * min(reps), "checksum": float(np.abs(d.astype(np.float64)).sum())}), flush=True)


if __name__ == "__main__":
    main()
