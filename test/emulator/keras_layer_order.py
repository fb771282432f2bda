"""The order of `model.layers` Keras 2.x gives the model rebuilt from a
model.h5's model_config, beside the file's model_weights `layer_names`, as
JSON {"keras": [...], "file": [...]}. Keras' HDF5 weight loading pairs the
layers that have weights with the file's `layer_names` by position, so the two
must agree. Written from the algorithm of Keras' functional `_map_graph_network`:
a depth-first walk from the outputs numbers each layer when first seen; a node's
depth is 0 at the outputs and max(depth of its consumers) + 1 further in, a
layer's depth the largest of its nodes' (shared layers); layers are listed by
decreasing depth, ties in walk order.

usage: keras_layer_order.py FILE
"""
import json, sys
import h5py

with h5py.File(sys.argv[1], 'r') as f:
    cfg = json.loads(f.attrs['model_config'])['config']
    names = [n.decode('utf8') if isinstance(n, bytes) else n for n in f['model_weights'].attrs['layer_names']]
layers = {L['name']: L for L in cfg['layers']}


def parents(node):
    L = layers[node[0]]
    if L['class_name'] == 'InputLayer':
        return []
    return [(src[0], src[1]) for src in L['inbound_nodes'][node[1]]]


finished, walk, first_seen = set(), [], {}


def visit(node):
    if node in finished:
        return
    first_seen.setdefault(node[0], len(first_seen))
    for p in parents(node):
        visit(p)
    finished.add(node)
    walk.append(node)


for out in cfg['output_layers']:
    visit((out[0], out[1]))
node_depth, layer_depth = {}, {}
for node in reversed(walk):
    d = max(node_depth.setdefault(node, 0), layer_depth.get(node[0], 0))
    layer_depth[node[0]] = node_depth[node] = d
    for p in parents(node):
        node_depth[p] = max(d + 1, node_depth.get(p, 0))
order = sorted(layer_depth, key=lambda n: (-layer_depth[n], first_seen[n]))
print(json.dumps({'keras': order, 'file': names}))
