#!/usr/bin/env python3
"""Vectorised NumPy peer of nunatak's glacier step (bench/sia.ts):
smb_simple -> SIA face velocities (type-II staggered scheme, Weertman sliding)
-> centre ubar/vbar/velbar_mag -> time step (CFL 0.3, dx^2/(4 Dmax), step_max 1)
-> superbee upwind thickness transport with the donor-side positivity limiter
-> flotation-aware surface. float32 arrays, as NumPy users would write it.

usage: sia_numpy.py DIR N DX REPS   (DIR holds topg.f32 and thk.f32)
writes DIR/thk1_numpy.f32 (state after one step) and prints JSON timings.
"""
import json
import sys
import time

import numpy as np

A, SLIDINGCO, RHO, G, N_GLEN = 78.0, 0.0464, 910.0, 9.81, 3
GRADABL, GRADACC, ELA, ACCMAX = 0.009, 0.005, 2900.0, 2.0
CFL, STEP_MAX, SEALEVEL, RATIO = 0.3, 1.0, 0.0, 0.91
RHOG = RHO * G * 1e-6
GPA = 2 * RHOG ** N_GLEN / (N_GLEN + 2)
SURF = (N_GLEN + 2) / (N_GLEN + 1)


def smb_simple(usurf, thk):
    d = usurf - np.float32(ELA)
    s = d * np.where(d < 0, np.float32(GRADABL), np.float32(GRADACC))
    np.clip(s, -100, ACCMAX, out=s)
    s[(s < 0) & (thk <= 0)] = 0
    return s


def coef(hf, sn, st):
    grad2 = sn * sn + st * st
    h2 = hf * hf
    gd = np.float32(A * GPA) * (h2 * h2) * grad2
    t = hf * np.float32(RHOG / SLIDINGCO)
    gb = t * t * t * grad2
    return gd, gb


def sia(thk, usurf, dx):
    ny, nx = thk.shape
    # x-faces between columns i-1 and i; cross slope from rows j-1..j+1 (clamped)
    sp = np.concatenate([usurf[1:], usurf[-1:]], axis=0)
    sm = np.concatenate([usurf[:1], usurf[:-1]], axis=0)
    w = np.full((ny, 1), 1 / (4 * dx), np.float32)
    w[0] = w[-1] = 1 / (2 * dx)
    hf = np.float32(0.5) * (thk[:, :-1] + thk[:, 1:])
    sn = (usurf[:, 1:] - usurf[:, :-1]) * np.float32(1 / dx)
    st = ((sp[:, :-1] + sp[:, 1:]) - (sm[:, :-1] + sm[:, 1:])) * w
    gd, gb = coef(hf, sn, st)
    ux = np.empty((ny, nx + 1), np.float32)
    ux[:, 1:nx] = -(gd + gb) * sn
    ux[:, 0], ux[:, nx] = ux[:, 1], ux[:, nx - 1]
    dmax = float(((gd + gb) * hf).max())
    # y-faces between rows j-1 and j
    sp = np.concatenate([usurf[:, 1:], usurf[:, -1:]], axis=1)
    sm = np.concatenate([usurf[:, :1], usurf[:, :-1]], axis=1)
    w = np.full((1, nx), 1 / (4 * dx), np.float32)
    w[0, 0] = w[0, -1] = 1 / (2 * dx)
    hf = np.float32(0.5) * (thk[:-1] + thk[1:])
    sn = (usurf[1:] - usurf[:-1]) * np.float32(1 / dx)
    st = ((sp[1:] + sp[:-1]) - (sm[1:] + sm[:-1])) * w
    gd, gb = coef(hf, sn, st)
    vy = np.empty((ny + 1, nx), np.float32)
    vy[1:ny] = -(gd + gb) * sn
    vy[0], vy[ny] = vy[1], vy[ny - 1]
    dmax = max(dmax, float(((gd + gb) * hf).max()))
    umax = max(float(np.abs(ux).max()), float(np.abs(vy).max()))
    return ux, vy, dmax, umax


def centres(ux, vy, thk):
    ice = thk > 0
    ubar = np.where(ice, np.float32(0.5) * (ux[:, :-1] + ux[:, 1:]), 0)
    vbar = np.where(ice, np.float32(0.5) * (vy[:-1] + vy[1:]), 0)
    return ubar, vbar, np.sqrt(ubar * ubar + vbar * vbar)


def superbee(a, b):
    aa, ab = np.abs(a), np.abs(b)
    s = np.maximum(np.minimum(ab, 2 * aa), np.minimum(aa, 2 * ab))
    return np.where(a * b > 0, np.copysign(s, a), np.float32(0))


def face_flux(hp, sig, c):
    """Fluxes on the n+1 faces along axis 1 of a row-padded thickness hp
    (one ice-free cell each side) with cell slopes sig (padded with 0)."""
    hl, hr = hp[:, :-1], hp[:, 1:]
    sl, sr = sig[:, :-1], sig[:, 1:]
    return np.where(c > 0, c * (hl + np.float32(0.5) * (1 - c) * sl), np.where(c < 0, c * (hr - np.float32(0.5) * (1 + c) * sr), np.float32(0)))


def transport(thk, ux, vy, smb, dt, dx, topg):
    ny, nx = thk.shape
    cx = ux * np.float32(dt / dx)
    cy = vy * np.float32(dt / dx)
    hp = np.pad(thk, ((0, 0), (1, 1)))
    sig = np.zeros_like(hp)
    sig[:, 1:-1] = superbee(hp[:, 1:-1] - hp[:, :-2], hp[:, 2:] - hp[:, 1:-1])
    fx = face_flux(hp, sig, cx)
    hp = np.pad(thk.T, ((0, 0), (1, 1)))
    sig = np.zeros_like(hp)
    sig[:, 1:-1] = superbee(hp[:, 1:-1] - hp[:, :-2], hp[:, 2:] - hp[:, 1:-1])
    fy = face_flux(hp, sig, cy.T).T
    a = thk + np.float32(dt) * smb
    out = np.maximum(fx[:, 1:], 0) + np.maximum(-fx[:, :-1], 0) + np.maximum(fy[1:], 0) + np.maximum(-fy[:-1], 0)
    avail = np.maximum(a, 0)
    lim = out > avail
    if lim.any():  # donor-side positivity limiter, only when some cell needs it
        r = np.ones((ny + 2, nx + 2), np.float32)
        r[1:-1, 1:-1] = np.where(lim, avail / np.where(lim, out, 1), 1)
        fx = np.where(fx > 0, fx * r[1:-1, :-1], fx * r[1:-1, 1:])
        fy = np.where(fy > 0, fy * r[:-1, 1:-1], fy * r[1:, 1:-1])
    h = a - ((fx[:, 1:] - fx[:, :-1]) + (fy[1:] - fy[:-1]))
    np.maximum(h, 0, out=h)
    usurf = np.maximum(topg + h, np.float32(SEALEVEL) + np.float32(1 - RATIO) * h)
    return h, usurf


def step(thk, usurf, topg, dx):
    smb = smb_simple(usurf, thk)
    ux, vy, dmax, umax = sia(thk, usurf, dx)
    ubar, vbar, mag = centres(ux, vy, thk)
    dt = STEP_MAX
    if umax > 0:
        dt = min(dt, CFL * dx / umax)
    if dmax > 0:
        dt = min(dt, 1 / (2 * dmax * (2 / dx ** 2)))
    thk, usurf = transport(thk, ux, vy, smb, dt, dx, topg)
    return thk, usurf, dt


def main():
    d, n, dx, reps = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    topg = np.fromfile(f"{d}/topg.f32", np.float32).reshape(n, n)
    thk = np.fromfile(f"{d}/thk.f32", np.float32).reshape(n, n)
    usurf = np.maximum(topg + thk, np.float32(1 - RATIO) * thk)
    h1, u1, dt1 = step(thk, usurf, topg, dx)
    h1.astype(np.float32).tofile(f"{d}/thk1_numpy.f32")
    h, u = h1, u1
    for _ in range(2):  # warm-up
        h, u, _ = step(h, u, topg, dx)
    wall, cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        h, u, _ = step(h, u, topg, dx)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(json.dumps({"ms": 1e3 * min(wall), "cpu_ms": 1e3 * min(cpu), "dt1": dt1, "numpy": np.__version__}))


if __name__ == "__main__":
    main()
