"""Write a Keras-2.4-layout model.h5 like DLE's CNN (shared LeakyReLU layer,
Dropout after each activation, 1x1 head) with h5py, plus a NumPy forward pass
of it on a given input, for nunatak's importer test.

usage: make_keras_h5.py OUT_DIR NIN NOUT LAYERS FILTERS [bad]
Writes OUT_DIR/model.h5 and raw little-endian float32 OUT_DIR/x.f32 (ny,nx,nin) and
OUT_DIR/y.f32 (ny,nx,nout, the NumPy forward pass); prints {ny, nx}.
"""
import json, sys
import h5py
import numpy as np

out, nin, nout, nl, nf = sys.argv[1], *map(int, sys.argv[2:6])
bad = len(sys.argv) > 6 and sys.argv[6] == 'bad'
rng = np.random.default_rng(7)
alpha = np.float32(0.01)

layers = [{"class_name": "InputLayer", "config": {"batch_input_shape": [None, None, None, nin], "dtype": "float32",
           "sparse": False, "ragged": False, "name": "input_1"}, "name": "input_1", "inbound_nodes": []}]
act_nodes = []
weights = {}
prev = ["input_1", 0, 0, {}]
def conv_cfg(name, f, k):
    return {"name": name, "trainable": True, "dtype": "float32", "filters": f, "kernel_size": [k, k], "strides": [1, 1],
            "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1], "groups": 1,
            "activation": "linear", "use_bias": True,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
            "kernel_regularizer": {"class_name": "L2", "config": {"l2": 0.0}}, "bias_regularizer": None,
            "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
cin = nin
for l in range(nl):
    name = "conv2d" if l == 0 else f"conv2d_{l}"
    layers.append({"class_name": "Conv2D", "config": conv_cfg(name, nf, 3), "name": name, "inbound_nodes": [[prev]]})
    weights[name] = (rng.normal(0, 0.3, (3, 3, cin, nf)).astype(np.float32), rng.normal(0, 0.1, nf).astype(np.float32))
    act_nodes.append([[name, 0, 0, {}]])
    dname = "dropout" if l == 0 else f"dropout_{l}"
    layers.append({"class_name": "Dropout", "config": {"name": dname, "trainable": True, "dtype": "float32", "rate": 0.0,
                   "noise_shape": None, "seed": None}, "name": dname, "inbound_nodes": [[["leaky_re_lu", l, 0, {}]]]})
    prev = [dname, 0, 0, {}]
    cin = nf
head = f"conv2d_{nl}"
layers.append({"class_name": "Conv2D", "config": conv_cfg(head, nout, 1), "name": head, "inbound_nodes": [[prev]]})
weights[head] = (rng.normal(0, 0.3, (1, 1, cin, nout)).astype(np.float32), rng.normal(0, 0.1, nout).astype(np.float32))
act = {"class_name": "LeakyReLU", "config": {"name": "leaky_re_lu", "trainable": True, "dtype": "float32",
       "alpha": 0.009999999776482582}, "name": "leaky_re_lu", "inbound_nodes": act_nodes}
layers.insert(2, act)
if bad:
    layers.insert(3, {"class_name": "BatchNormalization", "config": {"name": "batch_normalization"}, "name": "batch_normalization",
                      "inbound_nodes": [[["conv2d", 0, 0, {}]]]})
cfg = {"class_name": "Functional", "config": {"name": "model", "layers": layers, "input_layers": [["input_1", 0, 0]],
       "output_layers": [[head, 0, 0]]}, "keras_version": "2.4.0", "backend": "tensorflow"}

with h5py.File(f"{out}/model.h5", "w") as f:
    f.attrs["keras_version"] = b"2.4.0"
    f.attrs["backend"] = b"tensorflow"
    f.attrs["model_config"] = json.dumps(cfg).encode()
    mw = f.create_group("model_weights")
    names = [L["name"] for L in layers]
    mw.attrs["layer_names"] = np.array([n.encode() for n in names])
    mw.attrs["backend"] = b"tensorflow"
    mw.attrs["keras_version"] = b"2.4.0"
    for n in names:
        g = mw.create_group(n)
        if n in weights:
            g.attrs["weight_names"] = np.array([f"{n}/kernel:0".encode(), f"{n}/bias:0".encode()])
            sub = g.create_group(n)
            sub.create_dataset("kernel:0", data=weights[n][0])
            sub.create_dataset("bias:0", data=weights[n][1])
        else:
            g.attrs["weight_names"] = np.array([], dtype="S1")

# NumPy forward pass (same padding, stride 1).
def conv(x, k, b):
    kh, kw = k.shape[:2]
    ph, pw = kh // 2, kw // 2
    xp = np.pad(x, ((ph, kh - 1 - ph), (pw, kw - 1 - pw), (0, 0)))
    ny, nx = x.shape[:2]
    y = np.zeros((ny, nx, k.shape[3]), np.float64) + b
    for a in range(kh):
        for c in range(kw):
            y += xp[a:a + ny, c:c + nx, :] @ k[a, c].astype(np.float64)
    return y
ny, nx = 13, 17
x = rng.normal(0, 1, (ny, nx, nin)).astype(np.float32)
h = x.astype(np.float64)
for l in range(nl):
    name = "conv2d" if l == 0 else f"conv2d_{l}"
    h = conv(h, *weights[name])
    h = np.where(h > 0, h, alpha * h)
y = conv(h, *weights[head])
x.astype("<f4").tofile(f"{out}/x.f32")
y.astype("<f4").tofile(f"{out}/y.f32")
print(json.dumps({"ny": ny, "nx": nx}))
