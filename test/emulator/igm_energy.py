"""IGM 2.x Blatter–Pattyn energy in NumPy (float64), written from IGM's
energy_iceflow.py `_iceflow_energy` (jouvetg/igm, igm/modules/process/iceflow/),
branch Nz > 2, 2-D arrhenius, new_friction_param, no calving-front term, no
extra regularisation — an independent reference for nunatak's energy.

usage: igm_energy.py GEOM_F32 NY NX NZ DX
GEOM_F32: little-endian float32 blocks thk, usurf, arrhenius, slidingco (ny*nx each),
then U, V (Nz*ny*nx each, [k][j][i]). Prints the energy (mean over corners of
C_shear + C_slid + C_grav), MPa m a^-1, and its three parts as JSON.
"""
import json, sys
import numpy as np

f, ny, nx, Nz, dx = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
a = np.fromfile(f, dtype='<f4').astype(np.float64)
n = ny * nx
thk, usurf, A, c = (a[k * n:(k + 1) * n].reshape(1, ny, nx) for k in range(4))
U = a[4 * n:4 * n + Nz * n].reshape(1, Nz, ny, nx)
V = a[4 * n + Nz * n:4 * n + 2 * Nz * n].reshape(1, Nz, ny, nx)
vs, n_glen, m_w = 4.0, 3.0, 3.0
regu_glen, regu_weertman, thr, min_sr, max_sr, rho, g = 1e-5, 1e-10, 0.1, 1e-20, 1e20, 910.0, 9.81
if len(sys.argv) > 6:
    vs = float(sys.argv[6])

def stag4(B):
    return (B[:, 1:, 1:] + B[:, 1:, :-1] + B[:, :-1, 1:] + B[:, :-1, :-1]) / 4

def stag8(B):
    return (B[:, 1:, 1:, 1:] + B[:, 1:, 1:, :-1] + B[:, 1:, :-1, 1:] + B[:, 1:, :-1, :-1]
            + B[:, :-1, 1:, 1:] + B[:, :-1, 1:, :-1] + B[:, :-1, :-1, 1:] + B[:, :-1, :-1, :-1]) / 8

def grad_stag(s):
    E = (s[:, :, 1:] - s[:, :, :-1]) / dx
    gx = 0.5 * (E[:, 1:, :] + E[:, :-1, :])
    EE = (s[:, 1:, :] - s[:, :-1, :]) / dx
    gy = 0.5 * (EE[:, :, 1:] + EE[:, :, :-1])
    return gx, gy

COND = ((thk[:, 1:, 1:] > 0) & (thk[:, 1:, :-1] > 0) & (thk[:, :-1, 1:] > 0) & (thk[:, :-1, :-1] > 0))[:, None]
zeta = np.arange(Nz) / (Nz - 1)
temp = (zeta / vs) * (1.0 + (vs - 1.0) * zeta)
temd = temp[1:] - temp[:-1]
dz = np.stack([stag4(thk) * z for z in temd], axis=1)
B = 2.0 * A ** (-1.0 / n_glen)
C = 1.0 * c
p = 1.0 + 1.0 / n_glen
s = 1.0 + 1.0 / m_w
bx, by = grad_stag(usurf - thk)
bx, by = bx[:, None], by[:, None]

dUdx = (U[:, :, :, 1:] - U[:, :, :, :-1]) / dx
dVdx = (V[:, :, :, 1:] - V[:, :, :, :-1]) / dx
dUdy = (U[:, :, 1:, :] - U[:, :, :-1, :]) / dx
dVdy = (V[:, :, 1:, :] - V[:, :, :-1, :]) / dx
dUdx = (dUdx[:, :, :-1, :] + dUdx[:, :, 1:, :]) / 2
dVdx = (dVdx[:, :, :-1, :] + dVdx[:, :, 1:, :]) / 2
dUdy = (dUdy[:, :, :, :-1] + dUdy[:, :, :, 1:]) / 2
dVdy = (dVdy[:, :, :, :-1] + dVdy[:, :, :, 1:]) / 2
dUdx = (dUdx[:, :-1] + dUdx[:, 1:]) / 2
dVdx = (dVdx[:, :-1] + dVdx[:, 1:]) / 2
dUdy = (dUdy[:, :-1] + dUdy[:, 1:]) / 2
dVdy = (dVdy[:, :-1] + dVdy[:, 1:]) / 2
Um = (U[:, :, 1:, 1:] + U[:, :, 1:, :-1] + U[:, :, :-1, 1:] + U[:, :, :-1, :-1]) / 4
Vm = (V[:, :, 1:, 1:] + V[:, :, 1:, :-1] + V[:, :, :-1, 1:] + V[:, :, :-1, :-1]) / 4
dUdz = (Um[:, 1:] - Um[:, :-1]) / np.maximum(dz, thr)
dVdz = (Vm[:, 1:] - Vm[:, :-1]) / np.maximum(dz, thr)
slc = stag4(C)[:, None]
dUdz = np.where(slc > 0, dUdz, 0.01 * dUdz)
dVdz = np.where(slc > 0, dVdz, 0.01 * dVdz)
dUdx = dUdx - dUdz * bx
dUdy = dUdy - dUdz * by
dVdx = dVdx - dVdz * bx
dVdy = dVdy - dVdz * by
Exx, Eyy, Ezz = dUdx, dVdy, -dUdx - dVdy
Exy = 0.5 * dVdx + 0.5 * dUdy
Exz, Eyz = 0.5 * dUdz, 0.5 * dVdz
sr = 0.5 * (Exx**2 + Exy**2 + Exy**2 + Eyy**2 + Ezz**2) + 0.5 * (Exz**2 + Eyz**2 + Exz**2 + Eyz**2)
sr = np.where(COND, sr, 0.0)
srcapped = np.where(COND, np.clip(sr, min_sr**2, max_sr**2), 0.0)
C_shear = np.sum(stag8(B[:, None].repeat(Nz, axis=1)) * dz * ((srcapped + regu_glen**2) ** ((p - 2) / 2)) * sr, axis=1) / p
bx2, by2 = grad_stag(usurf - thk)
N = stag4(U[:, 0] ** 2 + V[:, 0] ** 2) + regu_weertman**2 + (stag4(U[:, 0]) * bx2 + stag4(V[:, 0]) * by2) ** 2
C_slid = stag4(C) * N ** (s / 2) / s
sx, sy = grad_stag(usurf)
uds = stag8(U) * sx[:, None] + stag8(V) * sy[:, None]
uds = np.where(COND, uds, 0.0)
C_grav = rho * g * 1e-6 * np.sum(dz * uds, axis=1)
print(json.dumps({'J': float(np.mean(C_shear) + np.mean(C_slid) + np.mean(C_grav)),
                  'shear': float(np.mean(C_shear)), 'slid': float(np.mean(C_slid)), 'grav': float(np.mean(C_grav))}))
