"""PyTorch CPU peer for bench/emulator.ts: the DLE CNN (n x [Conv kxk 'same' +
LeakyReLU(0.01)] + 1x1 head) with the weights nunatak wrote, same threads.

usage: dle_torch.py DIR THREADS [infer | train SECONDS]
DIR/manifest.json: {"layers": [{"file", "shape": [kh,kw,cin,cout], "bias"}...],
  "frames": [{"file", "ny", "nx", "nin"}], "train": {"patch", "batch", "nin", "nout"}}
infer (default): per-frame best ms and output max|diff| vs nunatak's output.
train SECONDS: one warm-up step, then Adam steps (lr 1e-4, per-tensor clipnorm
  0.5, MAE) until SECONDS have passed; prints the steps' wall times.
Prints one JSON line.
"""
import json, os, sys, time
import numpy as np
import torch

d, threads = sys.argv[1], int(sys.argv[2])
mode = sys.argv[3] if len(sys.argv) > 3 else "infer"
torch.set_num_threads(threads)
torch.manual_seed(0)
man = json.load(open(os.path.join(d, "manifest.json")))

def f32(name, shape):
    return np.fromfile(os.path.join(d, name), dtype="<f4").reshape(shape)

mods = []
for k, L in enumerate(man["layers"]):
    kh, kw, cin, cout = L["shape"]
    conv = torch.nn.Conv2d(cin, cout, (kh, kw), padding="same")
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(f32(L["file"], L["shape"]).transpose(3, 2, 0, 1).copy()))
        conv.bias.copy_(torch.from_numpy(f32(L["bias"], [cout])))
    mods.append(conv)
    if k < len(man["layers"]) - 1:
        mods.append(torch.nn.LeakyReLU(0.01))
net = torch.nn.Sequential(*mods).eval()

def best_ms(fn, min_reps=3, min_total=0.3):
    fn()
    reps, total = [], 0.0
    while len(reps) < min_reps or total < min_total:
        t0 = time.perf_counter(); fn(); dt = time.perf_counter() - t0
        reps.append(dt); total += dt
    return min(reps) * 1000

out = {"threads": threads, "torch": torch.__version__, "frames": []}
if mode == "infer":
    with torch.inference_mode():
        for fr in man["frames"]:
            x = torch.from_numpy(f32(fr["file"], [1, fr["ny"], fr["nx"], fr["nin"]]).transpose(0, 3, 1, 2).copy())
            ms = best_ms(lambda: net(x))
            rec = {"ny": fr["ny"], "nx": fr["nx"], "ms": ms}
            if "ref" in fr:
                y = net(x).numpy().transpose(0, 2, 3, 1)
                ref = f32(fr["ref"], y.shape)
                rec["maxdiff"] = float(np.abs(y - ref).max())
                rec["scale"] = float(np.abs(ref).max())
            out["frames"].append(rec)

t = man["train"]
net.train()
opt = torch.optim.Adam(net.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-7)
rng = np.random.default_rng(0)
X = torch.from_numpy(rng.uniform(-1, 1, (t["batch"], t["nin"], t["patch"], t["patch"])).astype(np.float32))
Y = torch.from_numpy(rng.uniform(-1, 1, (t["batch"], t["nout"], t["patch"], t["patch"])).astype(np.float32))
def step():
    opt.zero_grad()
    loss = (net(X) - Y).abs().mean()
    loss.backward()
    for p in net.parameters():  # Keras clipnorm: per-tensor norm clip
        torch.nn.utils.clip_grad_norm_([p], 0.5)
    opt.step()
if mode == "train":
    step()
    seconds = float(sys.argv[4])
    times = []
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    out["step_s"] = times
    out["batch"] = t["batch"]
print(json.dumps(out))
