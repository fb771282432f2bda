"""NumPy peer for bench/udf.ts: single-pass sum and std over frames of a raw
float32 file through np.memmap, chunk by chunk (so memory stays bounded), and
the machine's memory-copy bandwidth measured with np.copyto.

usage: udf_numpy.py PATH NAV_FRAMES SIG_H SIG_W
prints one JSON line.
"""
import json
import sys
import time

import numpy as np

path, n, h, w = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
a = np.memmap(path, dtype=np.float32, mode="r", shape=(n, h * w))
CHUNK = 64  # frames per chunk (16 MiB for 256x256 float32)


def run_sum():
    acc = np.zeros(h * w, np.float64)
    for s in range(0, n, CHUNK):
        acc += a[s : s + CHUNK].sum(axis=0, dtype=np.float64)
    return acc


def run_std():
    # Chan et al. pairwise combination of per-chunk (count, sum, M2), like nunatak's StdDevUDF.
    cnt = 0
    S = np.zeros(h * w, np.float64)
    M2 = np.zeros(h * w, np.float64)
    for s in range(0, n, CHUNK):
        c = a[s : s + CHUNK].astype(np.float64)
        nb = c.shape[0]
        Sb = c.sum(axis=0)
        M2b = ((c - Sb / nb) ** 2).sum(axis=0)
        if cnt:
            d = S / cnt - Sb / nb
            M2 += M2b + d * d * cnt * nb / (cnt + nb)
            S += Sb
        else:
            S, M2 = Sb, M2b
        cnt += nb
    return np.sqrt(M2 / cnt)


def timed(f):
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


sum_s, sm = timed(run_sum)
std_s, sd = timed(run_std)

src = np.ones(64 * 1024 * 1024, np.float32)  # 256 MiB
dst = np.empty_like(src)
np.copyto(dst, src)
t = time.perf_counter()
reps = 6
for _ in range(reps):
    np.copyto(dst, src)
copy_gbps = reps * src.nbytes / (time.perf_counter() - t) / 1e9

print(json.dumps({
    "sum_s": sum_s,
    "std_s": std_s,
    "copy_gbps": copy_gbps,
    "sum_probe": [float(sm[i]) for i in (0, 1234, h * w - 1)],
    "std_probe": [float(sd[i]) for i in (0, 1234, h * w - 1)],
    "numpy": np.__version__,
}))
