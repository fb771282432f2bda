"""Write a tiny DLE-layout dataset with netCDF4-python: ROOT/<name>/{train,test}/<case>/ex.nc
holding x, y, usurf, thk, ubar, vbar (time, y, x), where the velocity is a local SIA law
of the thickness and the np.gradient surface slope. Optional flags: 'nan' puts a NaN in
train ubar, 'noubar' leaves ubar out, 'npy' writes the test case as .npy files.

usage: make_dataset.py ROOT NAME [flags...]
"""
import sys, os
import numpy as np
from netCDF4 import Dataset

root, name, *flags = sys.argv[1:]
rng = np.random.default_rng(0)
ny, nx, nt, dx = 24, 28, 3, 100.0

def case(seed):
    r = np.random.default_rng(seed)
    x = np.arange(nx) * dx
    y = np.arange(ny) * dx
    X, Y = np.meshgrid(x, y)
    out = {k: np.zeros((nt, ny, nx), np.float32) for k in ["usurf", "thk", "ubar", "vbar"]}
    for t in range(nt):
        cx, cy = r.uniform(800, 1900), r.uniform(800, 1500)
        h = np.maximum(0, 250 - ((X - cx) ** 2 + (Y - cy) ** 2) / (r.uniform(3000, 6000)))
        s = 2000 + 0.1 * X + h
        sx = np.gradient(s, dx, axis=1)
        sy = np.gradient(s, dx, axis=0)
        k = -2e-9 * h ** 4 * (sx ** 2 + sy ** 2)
        out["usurf"][t], out["thk"][t], out["ubar"][t], out["vbar"][t] = s, h, k * sx * 1000, k * sy * 1000
    return x, y, out

def write_nc(path, x, y, f, drop=()):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with Dataset(path, "w") as d:
        d.createDimension("time", nt); d.createDimension("y", ny); d.createDimension("x", nx)
        d.createVariable("x", "f8", ("x",))[:] = x
        d.createVariable("y", "f8", ("y",))[:] = y
        for k, v in f.items():
            if k in drop: continue
            d.createVariable(k, "f4", ("time", "y", "x"))[:] = v

base = os.path.join(root, name)
for split, cases in (("train", ["glacier_a", "glacier_b"]), ("test", ["glacier_c"])):
    for i, c in enumerate(cases):
        x, y, f = case(sum(map(ord, split + c)))
        if "nan" in flags and split == "train" and i == 1:
            f["ubar"][1, 3, 4] = np.nan
        if "npy" in flags and split == "test":
            d = os.path.join(base, split, c); os.makedirs(d, exist_ok=True)
            for k, v in f.items(): np.save(os.path.join(d, k + ".npy"), v)
            np.save(os.path.join(d, "x.npy"), x); np.save(os.path.join(d, "y.npy"), y)
        else:
            write_nc(os.path.join(base, split, c, "ex.nc"), x, y, f, drop=("ubar",) if "noubar" in flags and split == "train" else ())
