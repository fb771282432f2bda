"""The structure of an HDF5 file as h5py sees it, as JSON on stdout, for
comparing nunatak's Keras export with a real Keras model.h5: every group and
dataset with its attributes' HDF5 types (class, variable/fixed length, size,
character set, string padding, dataspace, shape), datasets' dtype, shape,
layout and a SHA-256 of their bytes; the parsed model_config and
training_config JSON; the superblock version.

usage: h5_structure.py FILE
"""
import hashlib, json, sys
import h5py
import numpy as np
from h5py import h5d, h5s, h5t

PAD = {h5t.STR_NULLTERM: 'nullterm', h5t.STR_NULLPAD: 'nullpad', h5t.STR_SPACEPAD: 'spacepad'}
CSET = {h5t.CSET_ASCII: 'ascii', h5t.CSET_UTF8: 'utf8'}
SPACE = {h5s.SCALAR: 'scalar', h5s.SIMPLE: 'simple', h5s.NULL: 'null'}
LAYOUT = {h5d.CONTIGUOUS: 'contiguous', h5d.CHUNKED: 'chunked', h5d.COMPACT: 'compact'}


def attr_sig(obj, name):
    a = obj.attrs.get_id(name)
    t = a.get_type()
    sig = {'space': SPACE[a.get_space().get_simple_extent_type()], 'shape': list(a.shape)}
    if t.get_class() == h5t.STRING:
        vlen = t.is_variable_str()
        sig.update({'class': 'string', 'vlen': vlen, 'cset': CSET[t.get_cset()], 'pad': PAD[t.get_strpad()]})
        if not vlen:
            sig['size'] = t.get_size()
    else:
        sig.update({'class': 'float' if t.get_class() == h5t.FLOAT else 'other', 'dtype': np.dtype(obj.attrs[name].dtype).str})
    # how h5py (hence Keras) hands the value back: str, bytes array, float array
    sig['python'] = type(obj.attrs[name]).__name__
    if isinstance(obj.attrs[name], np.ndarray):
        sig['python'] += ':' + obj.attrs[name].dtype.kind
    return sig


objects = {}
with h5py.File(sys.argv[1], 'r') as f:
    def visit(name, obj):
        entry = {'attrs': {k: attr_sig(obj, k) for k in obj.attrs}}
        if isinstance(obj, h5py.Dataset):
            data = obj[()]
            entry.update({'kind': 'dataset', 'dtype': obj.dtype.str, 'shape': list(obj.shape),
                          'layout': LAYOUT[obj.id.get_create_plist().get_layout()],
                          'sha256': hashlib.sha256(np.ascontiguousarray(data).tobytes()).hexdigest()})
        else:
            entry['kind'] = 'group'
        objects['/' + name] = entry
    visit('', f)
    f.visititems(visit)
    objects['/'] = objects.pop('/')
    cfg = lambda k: json.loads(f.attrs[k]) if k in f.attrs else None
    out = {'superblock': f.id.get_create_plist().get_version()[0], 'objects': objects,
           'model_config': cfg('model_config'), 'training_config': cfg('training_config'),
           'layer_names': [n.decode('utf8') if isinstance(n, bytes) else n for n in f['model_weights'].attrs['layer_names']]}
print(json.dumps(out))
