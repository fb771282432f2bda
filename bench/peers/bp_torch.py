#!/usr/bin/env python3
"""PyTorch CPU peer of nunatak's Blatter-Pattyn energy (bench/blatter-pattyn.ts):
IGM 2.x's energy (energy_iceflow.py: staggered-grid strain rates with the
z -> z - b correction, Glen shear, Weertman sliding, gravity; mean over
corners) written op by op in float32 and differentiated by autograd, the way
IGM evaluates it in TensorFlow. Imposed entries (ice-free cells) are masked
inside the graph (J(U * free)), as nunatak does.

usage: bp_torch.py DIR THREADS SECONDS MODE   (MODE: grad | energy)
DIR holds meta.json, thk.f32, usurf.f32, free.f32 (Nz*ny*nx), U.f32, V.f32.
Prints one JSON line: J, |dJ/dU|, |dJ/dV|, per-call times (ms).
"""
import json
import sys
import time

import numpy as np
import torch


def stag4(b):
    return (b[..., 1:, 1:] + b[..., 1:, :-1] + b[..., :-1, 1:] + b[..., :-1, :-1]) / 4


def grad_stag(s, dx):
    ex = (s[:, 1:] - s[:, :-1]) / dx
    ey = (s[1:, :] - s[:-1, :]) / dx
    return 0.5 * (ex[1:, :] + ex[:-1, :]), 0.5 * (ey[:, 1:] + ey[:, :-1])


def energy(U, V, g):
    thk, usurf, B, C, dx, m = g["thk"], g["usurf"], g["B"], g["C"], g["dx"], g["meta"]
    U = U * g["free"]
    V = V * g["free"]
    nz = U.shape[0]
    cond = (stag4((thk > 0).float()) == 1).unsqueeze(0)
    dz = g["temd"].view(-1, 1, 1) * stag4(thk).unsqueeze(0)
    p = 1 + 1 / m["exp_glen"]
    s = 1 + 1 / m["exp_weertman"]
    bx, by = grad_stag(usurf - thk, dx)
    sx, sy = grad_stag(usurf, dx)

    def ddx(w):
        d = (w[:, :, 1:] - w[:, :, :-1]) / dx
        d = (d[:, :-1, :] + d[:, 1:, :]) / 2
        return (d[:-1] + d[1:]) / 2

    def ddy(w):
        d = (w[:, 1:, :] - w[:, :-1, :]) / dx
        d = (d[:, :, :-1] + d[:, :, 1:]) / 2
        return (d[:-1] + d[1:]) / 2

    dudx, dvdx, dudy, dvdy = ddx(U), ddx(V), ddy(U), ddy(V)
    um, vm = stag4(U), stag4(V)
    den = torch.clamp(dz, min=m["thr_ice_thk"])
    dudz = (um[1:] - um[:-1]) / den
    dvdz = (vm[1:] - vm[:-1]) / den
    slc = stag4(C).unsqueeze(0) > 0
    dudz = torch.where(slc, dudz, 0.01 * dudz)
    dvdz = torch.where(slc, dvdz, 0.01 * dvdz)
    dudx = dudx - dudz * bx
    dudy = dudy - dudz * by
    dvdx = dvdx - dvdz * bx
    dvdy = dvdy - dvdz * by
    exy = 0.5 * dvdx + 0.5 * dudy
    ezz = -dudx - dvdy
    sr = 0.5 * (dudx**2 + 2 * exy**2 + dvdy**2 + ezz**2) + 0.25 * (dudz**2 + dvdz**2)
    sr = torch.where(cond, sr, torch.zeros_like(sr))
    capped = torch.where(cond, torch.clamp(sr, m["min_sr"] ** 2, min(m["max_sr"] ** 2, 3e38)), torch.zeros_like(sr))
    c_shear = stag4(B) * torch.sum(dz * (capped + m["regu_glen"] ** 2) ** ((p - 2) / 2) * sr, dim=0) / p
    n = stag4(U[0] ** 2 + V[0] ** 2) + m["regu_weertman"] ** 2 + (stag4(U[0]) * bx + stag4(V[0]) * by) ** 2
    c_slid = stag4(C) * n ** (s / 2) / s
    uds = (um[1:] + um[:-1]) / 2 * sx + (vm[1:] + vm[:-1]) / 2 * sy
    uds = torch.where(cond, uds, torch.zeros_like(uds))
    c_grav = m["ice_density"] * m["gravity_cst"] * 1e-6 * torch.sum(dz * uds, dim=0)
    return torch.mean(c_shear + c_slid + c_grav)


def main():
    d, threads, seconds, mode = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    torch.set_num_threads(threads)
    meta = json.load(open(f"{d}/meta.json"))
    ny, nx, nz = meta["ny"], meta["nx"], meta["Nz"]

    def rd(name, shape):
        return torch.from_numpy(np.fromfile(f"{d}/{name}.f32", dtype=np.float32).reshape(shape))

    thk = rd("thk", (ny, nx))
    A = torch.full((ny, nx), float(meta["arrhenius"]))
    zeta = np.arange(nz) / (nz - 1)
    lev = zeta / meta["vert_spacing"] * (1 + (meta["vert_spacing"] - 1) * zeta)
    g = {
        "thk": thk, "usurf": rd("usurf", (ny, nx)), "free": rd("free", (nz, ny, nx)), "dx": meta["dx"], "meta": meta,
        "B": 2 * A ** (-1 / meta["exp_glen"]), "C": torch.full((ny, nx), float(meta["slidingco"])),
        "temd": torch.tensor(lev[1:] - lev[:-1], dtype=torch.float32),
    }
    U0, V0 = rd("U", (nz, ny, nx)), rd("V", (nz, ny, nx))

    if mode.startswith("solve"):
        # Full solve from zero velocity: torch.optim.LBFGS (strong Wolfe line
        # search, memory 10) for exactly the iterations nunatak needed.
        iters = int(mode.split(":")[1])
        free = g["free"]
        times = []
        t_end = time.perf_counter() + seconds
        while time.perf_counter() < t_end or len(times) < 1:
            U = torch.zeros((nz, ny, nx), requires_grad=True)
            V = torch.zeros((nz, ny, nx), requires_grad=True)
            opt = torch.optim.LBFGS([U, V], lr=1, max_iter=iters, max_eval=10 * iters, history_size=10,
                                    tolerance_grad=0, tolerance_change=0, line_search_fn="strong_wolfe")
            nev = [0]

            def closure():
                opt.zero_grad()
                J = energy(U * free, V * free, g)
                J.backward()
                nev[0] += 1
                return J

            t = time.perf_counter()
            opt.step(closure)
            times.append((time.perf_counter() - t) * 1e3)
        with torch.no_grad():
            J = energy(U * free, V * free, g)
        st = opt.state[opt._params[0]]
        print(json.dumps({"J": float(J), "times_ms": times, "threads": torch.get_num_threads(), "torch": torch.__version__,
                          "iterations": int(st.get("n_iter", 0)), "evaluations": nev[0]}))
        return

    def call():
        if mode == "energy":
            with torch.no_grad():
                return energy(U0, V0, g), None, None
        U = U0.clone().requires_grad_(True)
        V = V0.clone().requires_grad_(True)
        J = energy(U, V, g)
        gu, gv = torch.autograd.grad(J, [U, V])
        return J, gu, gv

    J, gu, gv = call()
    times = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end or len(times) < 3:
        t = time.perf_counter()
        call()
        times.append((time.perf_counter() - t) * 1e3)
    out = {"J": float(J), "times_ms": times, "threads": torch.get_num_threads(), "torch": torch.__version__}
    if gu is not None:
        out["gnormU"] = float(torch.linalg.vector_norm(gu.double()))
        out["gnormV"] = float(torch.linalg.vector_norm(gv.double()))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
