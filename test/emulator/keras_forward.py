"""Independent NumPy (float64) forward pass of a Keras 2.x model.h5 read with h5py,
walking the model_config graph node by node: Conv2D ('same' or 'valid', stride 1),
LeakyReLU, ReLU, Dropout (identity at inference) — IGM's and DLE's CNNs — and the
U-Net layers MaxPooling2D (2x2, stride 2, 'valid'), Conv2DTranspose ('same',
TensorFlow's padding: the adjoint of a 'same' convolution with that stride;
kernel (kh, kw, out, in), not flipped) and Concatenate (last axis).

usage: keras_forward.py MODEL_H5 X_F32 NY NX NIN OUT_F32
X_F32: raw little-endian float32 (ny, nx, nin); writes OUT_F32 (ny, nx, nout) float32.
"""
import json, sys
import h5py
import numpy as np

h5, xf, ny, nx, nin, out = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:6]), sys.argv[6]
x = np.fromfile(xf, dtype='<f4').astype(np.float64).reshape(ny, nx, nin)

def conv_transpose(x, k, b, stride):
    kh, kw = k.shape[:2]
    h, w = x.shape[0] * stride, x.shape[1] * stride
    # the forward 'same' convolution of an (h, w) grid pads top/left by (k - s) // 2
    pt, pl = max(kh - stride, 0) // 2, max(kw - stride, 0) // 2
    y = np.zeros((h + kh, w + kw, k.shape[2]))
    for a in range(kh):
        for c in range(kw):
            y[a:a + h:stride, c:c + w:stride, :] += x @ k[a, c].T
    return y[pt:pt + h, pl:pl + w, :] + b


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
            cls, name, c = L['class_name'], L['name'], L['config']
            if cls == 'Concatenate':
                assert c['axis'] in (-1, 3)
                val[(name, k)] = np.concatenate([val[s] for s in src], axis=-1)
                continue
            assert len(src) == 1, f'{name}: one input expected'
            y = val[src[0]]
            if cls == 'Conv2D':
                g = f['model_weights'][name][name]
                y = conv(y, g['kernel:0'][()].astype(np.float64), g['bias:0'][()].astype(np.float64), c['padding'])
                assert c.get('activation', 'linear') == 'linear'
            elif cls == 'Conv2DTranspose':
                g = f['model_weights'][name][name]
                s = c['strides'][0]
                assert c['padding'] == 'same' and c['strides'] == [s, s] and c.get('activation', 'linear') == 'linear'
                y = conv_transpose(y, g['kernel:0'][()].astype(np.float64), g['bias:0'][()].astype(np.float64), s)
            elif cls == 'MaxPooling2D':
                assert c['pool_size'] == [2, 2] and c['strides'] == [2, 2] and c['padding'] == 'valid'
                h, w = y.shape[0] // 2, y.shape[1] // 2
                y = y[:2 * h, :2 * w].reshape(h, 2, w, 2, -1).max(axis=(1, 3))
            elif cls == 'ReLU':
                assert c.get('max_value') is None and float(c.get('threshold', 0)) == 0 and float(c.get('negative_slope', 0)) == 0
                y = np.maximum(y, 0)
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
