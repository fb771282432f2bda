"""Independent NumPy (float64) forward pass of a Keras 2.x CNN model.h5 read with h5py:
Conv2D ('same' or 'valid', stride 1) and LeakyReLU / Dropout layers, walked in
model_config order (a plain chain, as IGM's and DLE's CNNs).

usage: keras_forward.py MODEL_H5 X_F32 NY NX NIN OUT_F32
X_F32: raw little-endian float32 (ny, nx, nin); writes OUT_F32 (ny, nx, nout) float32.
"""
import json, sys
import h5py
import numpy as np

h5, xf, ny, nx, nin, out = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]), sys.argv[6]
x = np.fromfile(xf, dtype='<f4').astype(np.float64).reshape(ny, nx, nin)

def conv(x, k, b, padding):
    kh, kw = k.shape[:2]
    if padding == 'same':
        ph, pw = (kh - 1) // 2, (kw - 1) // 2
        x = np.pad(x, ((ph, kh - 1 - ph), (pw, kw - 1 - pw), (0, 0)))
    oy, ox = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    y = np.zeros((oy, ox, k.shape[3])) + b
    for a in range(kh):
        for c in range(kw):
            y += x[a:a + oy, c:c + ox, :] @ k[a, c]
    return y

with h5py.File(h5, 'r') as f:
    cfg = json.loads(f.attrs['model_config'])
    layers = cfg['config']['layers']
    # Evaluate the graph node by node: a layer object may be applied several times
    # (IGM's and DLE's CNNs share one LeakyReLU between all convolutions).
    val = {}
    todo = []
    for L in layers:
        if L['class_name'] == 'InputLayer':
            val[(L['name'], 0)] = x
        else:
            todo += [(L, k) for k in range(len(L['inbound_nodes']))]
    while todo:
        rest = []
        for L, k in todo:
            src = [(n[0], n[1]) for n in L['inbound_nodes'][k]]
            if any(s not in val for s in src):
                rest.append((L, k))
                continue
            assert len(src) == 1, 'chain models only'
            y = val[src[0]]
            cls, name, c = L['class_name'], L['name'], L['config']
            if cls == 'Conv2D':
                g = f['model_weights'][name][name]
                y = conv(y, g['kernel:0'][()].astype(np.float64), g['bias:0'][()].astype(np.float64), c['padding'])
                assert c.get('activation', 'linear') == 'linear'
            elif cls == 'LeakyReLU':
                y = np.where(y > 0, y, float(c['alpha']) * y)
            elif cls != 'Dropout':
                raise SystemExit(f'layer {cls} not handled by this reference')
            val[(name, k)] = y
        assert len(rest) < len(todo), 'unresolved graph'
        todo = rest
    o = cfg['config']['output_layers'][0]
    x = val[(o[0], o[1])]
x.astype('<f4').tofile(out)
