"""PyTorch CPU peer of bench/hybrid.ts: the same δHBV 1.0 model written the way
δMG runs it (nn.LSTM parameteriser, HBV day loop op by op with autograd, gamma
UH routing as a causal convolution, Adadelta). Written from the equations in
docs/hybrid.md (no δMG / hydroDL2 code). Reads the inputs nunatak wrote, prints
one JSON line with timings and the unrouted Q of a fixed-parameter run for the
cross-check.

usage: dhbv_torch.py <dir> <nb> <nt> <warmup> <nmul> <hidden> <nx> <reps> <threads>
"""
import json, math, sys, time
import numpy as np
import torch

d, nb, nt, W, nm, H, nx, reps, threads = sys.argv[1], *map(int, sys.argv[2:10])
torch.set_num_threads(threads)
torch.manual_seed(0)
NP = 13  # HBV 1.0 + BETAET (dynamic)
NAMES = ['BETA', 'FC', 'K0', 'K1', 'K2', 'LP', 'PERC', 'UZL', 'TT', 'CFMAX', 'CFR', 'CWH', 'BETAET']
B = {'BETA': (1, 6), 'FC': (50, 1000), 'K0': (0.05, 0.9), 'K1': (0.01, 0.5), 'K2': (0.001, 0.2), 'LP': (0.2, 1),
     'PERC': (0, 10), 'UZL': (0, 100), 'TT': (-2.5, 2.5), 'CFMAX': (0.5, 10), 'CFR': (0, 0.1), 'CWH': (0, 0.2), 'BETAET': (0.3, 5)}
LO = torch.tensor([B[n][0] for n in NAMES]).view(1, 1, NP, 1)
SPAN = torch.tensor([B[n][1] - B[n][0] for n in NAMES]).view(1, 1, NP, 1)
DYN = [0, 12]
NZ = 1e-5

def rd(name, shape):
    return torch.from_numpy(np.fromfile(f'{d}/{name}.f32', dtype=np.float32).reshape(shape).copy())

P, T, PET = rd('P', (nt, nb)), rd('T', (nt, nb)), rd('PET', (nt, nb))
X, Q_OBS = rd('x', (nt, nb, nx)), rd('qobs', (nt - W, nb))

def hbv(P, T, PET, par, dyn, state=None):
    """par [nb, NP, nm] static, dyn [nt, nb, 2, nm] (BETA, BETAET); returns Q [nt, nb] (mean over nm) and state."""
    n = P.shape[0]
    if state is None:
        state = [torch.full((nb, nm), 0.001) for _ in range(5)]
    SP, MW, SM, SUZ, SLZ = state
    p = [par[:, i, :] for i in range(NP)]
    out = []
    for t in range(n):
        BETA, BETAET = dyn[t, :, 0, :], dyn[t, :, 1, :]
        _, FC, K0, K1, K2, LP, PERC, UZL, TT, CFMAX, CFR, CWH, _ = p
        Pt, Tt, Et = P[t].unsqueeze(1), T[t].unsqueeze(1), PET[t].unsqueeze(1)
        rain = Pt * (Tt >= TT).float()
        snow = Pt * (Tt < TT).float()
        SP = SP + snow
        melt = torch.min(torch.clamp(CFMAX * (Tt - TT), min=0), SP)
        MW = MW + melt; SP = SP - melt
        refr = torch.min(torch.clamp(CFR * CFMAX * (TT - Tt), min=0), MW)
        SP = SP + refr; MW = MW - refr
        tosoil = torch.clamp(MW - CWH * SP, min=0); MW = MW - tosoil
        sw = torch.clamp((SM / FC) ** BETA, 0, 1)
        recharge = (rain + tosoil) * sw
        SM = SM + rain + tosoil - recharge
        excess = torch.clamp(SM - FC, min=0); SM = SM - excess
        ef = torch.clamp((SM / (LP * FC)) ** BETAET, 0, 1)
        et = torch.min(SM, Et * ef); SM = torch.clamp(SM - et, min=NZ)
        SUZ = SUZ + recharge + excess
        perc = torch.min(SUZ, PERC); SUZ = SUZ - perc
        q0 = K0 * torch.clamp(SUZ - UZL, min=0); SUZ = SUZ - q0
        q1 = K1 * SUZ; SUZ = SUZ - q1
        SLZ = SLZ + perc
        q2 = K2 * SLZ; SLZ = SLZ - q2
        out.append((q0 + q1 + q2).mean(1))
    return torch.stack(out, 0), [SP, MW, SM, SUZ, SLZ]

def route(q, a, b, lenF=15):
    alpha = torch.relu(a) + 0.1; theta = torch.relu(b) + 0.5
    tk = torch.arange(lenF, dtype=torch.float32) + 0.5
    w = torch.softmax((alpha.unsqueeze(1) - 1) * torch.log(tk) - tk / theta.unsqueeze(1), dim=1)  # [nb, lenF]
    x = q.t().unsqueeze(0)  # [1, nb, nt]
    y = torch.nn.functional.conv1d(torch.nn.functional.pad(x, (lenF - 1, 0)), w.flip(1).unsqueeze(1), groups=nb)
    return y[0].t()

class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.lin_in = torch.nn.Linear(nx, H)
        self.lstm = torch.nn.LSTM(H, H)
        self.lin_out = torch.nn.Linear(H, NP * nm + 2)

    def forward(self, x):
        y = self.lin_out(self.lstm(torch.relu(self.lin_in(x)))[0])
        s = torch.sigmoid(y[..., :NP * nm]).view(nt, nb, NP, nm)
        par = LO + s * SPAN  # [nt, nb, NP, nm]
        dyn = par[:, :, DYN, :]
        with torch.no_grad():
            _, st = hbv(P[:W], T[:W], PET[:W], par[W - 1], dyn[:W])
        q, _ = hbv(P[W:], T[W:], PET[W:], par[-1], dyn[W:], st)
        r = torch.sigmoid(y[-1, :, NP * nm:])
        return route(q, r[:, 0] * 2.9, r[:, 1] * 6.5)

def rmse_comb(p, o):
    tr = lambda z: torch.log10(torch.sqrt(torch.relu(z) + 1e-6) + 0.1)
    return 0.75 * torch.sqrt(((p - o) ** 2).mean()) + 0.25 * torch.sqrt(((tr(p) - tr(o)) ** 2).mean())

def timeit(f):
    """best wall-clock and best process-CPU seconds over reps runs after one warm-up run"""
    f()  # warm
    wall, cpu = [], []
    for _ in range(reps):
        t0, c0 = time.perf_counter(), time.process_time()
        f()
        wall.append(time.perf_counter() - t0); cpu.append(time.process_time() - c0)
    return {'wall': min(wall), 'cpu': min(cpu)}

model = Model()
opt = torch.optim.Adadelta(model.parameters(), lr=1.0)

def iteration():
    opt.zero_grad()
    loss = rmse_comb(model(X), Q_OBS)
    loss.backward()
    opt.step()

def forward():
    with torch.no_grad():
        model(X)

# the NN alone: gradient of a fixed random projection of its output (as bench/hybrid.ts)
WY = (torch.rand(nt, nb, NP * nm + 2) - 0.5) * 1e-3

def nn_only():
    model.zero_grad()
    y = model.lin_out(model.lstm(torch.relu(model.lin_in(X)))[0])
    (y * WY).sum().backward()

# process part: fixed parameters (read from nunatak) as leaves with gradients
par0, dyn0, rout0 = rd('params', (nb, NP, nm)), rd('dyn', (nt, nb, 2, nm)), rd('rout', (nb, 2))

def process():
    par = par0.clone().requires_grad_(True); dyn = dyn0.clone().requires_grad_(True); ro = rout0.clone().requires_grad_(True)
    with torch.no_grad():
        _, st = hbv(P[:W], T[:W], PET[:W], par, dyn[:W])
    q, _ = hbv(P[W:], T[W:], PET[W:], par, dyn[W:], st)
    loss = rmse_comb(route(q, ro[:, 0], ro[:, 1]), Q_OBS)
    loss.backward()

with torch.no_grad():
    qfix, _ = hbv(P, T, PET, par0, dyn0)
qfix.numpy().astype(np.float32).tofile(f'{d}/q_torch.f32')
res = {'iteration': timeit(iteration), 'forward': timeit(forward), 'process': timeit(process), 'nn': timeit(nn_only), 'threads': torch.get_num_threads(), 'torch': torch.__version__}
print(json.dumps(res))
