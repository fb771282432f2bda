/**
 * A small ONNX graph builder over `onnx-proto` (opset 17, NCHW), used to
 * export nunatak networks and to build test graphs. Each op method adds one
 * node and returns the name of its output, so graphs read like code:
 *
 *   const g = new OnnxGraphBuilder('net');
 *   const x = g.input('x', ['batch', 3, 'h', 'w']);
 *   const y = g.leakyRelu(g.conv(x, g.weight('w1', w, [32, 3, 3, 3]), { pads: [1, 1, 1, 1] }), 0.01);
 *   g.output(y);
 *   const bytes = g.toBytes();
 *
 * Weights are float32 initializers (stored as raw little-endian bytes).
 * TF.js filters are [KH,KW,CI,CO]; ONNX Conv wants [CO,CI,KH,KW] — see
 * `hwioToOihw` and `hwoiToIohw` (ConvTranspose).
 */
import onnxProto from 'onnx-proto';
import type { onnx as P } from 'onnx-proto';
import { NunatakError } from '../errors.js';

const { onnx } = onnxProto;
type Dim = number | string;
/** Attribute values: number[] → ints, {f} → float, {i} → int, {floats} → floats, string → string. */
export type AttrValue = number[] | { f: number } | { i: number } | { floats: number[] } | string;

export const ONNX_OPSET = 17;

function attribute(name: string, v: AttrValue): P.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('f' in v) return { name, type: T.FLOAT, f: v.f };
  if ('i' in v) return { name, type: T.INT, i: v.i };
  return { name, type: T.FLOATS, floats: v.floats };
}

function valueInfo(name: string, shape: Dim[] | undefined): P.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: shape === undefined ? undefined : { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export interface ConvAttrs {
  /** [top, left, bottom, right] padding in pixels (ONNX order: begins then ends). */
  pads?: [number, number, number, number];
  strides?: [number, number];
  dilations?: [number, number];
  group?: number;
}

export class OnnxGraphBuilder {
  private readonly nodes: P.INodeProto[] = [];
  private readonly inits: P.ITensorProto[] = [];
  private readonly inputs: P.IValueInfoProto[] = [];
  private readonly outputs: P.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;
  private readonly domains = new Set<string>();

  constructor(readonly name: string) {}

  private fresh(base: string): string {
    let n = `${base}_${this.counter++}`;
    while (this.names.has(n)) n = `${base}_${this.counter++}`;
    return n;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new NunatakError('CONFIG', `ONNX graph ${this.name}: the name '${name}' is used twice`);
    this.names.add(name);
    return name;
  }

  /** A name not used yet in this graph, from `base` (for initializers of repeated blocks). */
  uniqueName(base: string): string {
    return this.fresh(base);
  }

  /** A graph input (float32); string dims are symbolic (e.g. 'batch'). */
  input(name: string, shape: Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), shape));
    return name;
  }

  /** Mark `value` as a graph output, optionally renamed (via Identity). */
  output(value: string, name?: string, shape?: Dim[]): string {
    let out = value;
    if (name !== undefined && name !== value) out = this.node('Identity', [value], {}, name);
    this.outputs.push(valueInfo(out, shape));
    return out;
  }

  /** A float32 initializer; `data.length` must equal the product of `shape`. */
  weight(name: string, data: Float32Array, shape: number[]): string {
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new NunatakError('SHAPE', `ONNX initializer '${name}': shape [${shape}] holds ${n} values, got ${data.length}`);
    const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
    this.inits.push({ name: this.claim(name), dims: shape, dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw });
    return name;
  }

  /** An int64 initializer (for Pad / Slice operands). */
  int64(name: string, values: number[]): string {
    this.inits.push({ name: this.claim(name), dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, int64Data: values });
    return name;
  }

  /** Any ONNX op; returns its (first) output name. */
  node(opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outName?: string): string {
    return this.nodeIn('', opType, inputs, attrs, outName);
  }

  /**
   * An op from another domain (e.g. ONNX Runtime's `com.microsoft.nchwc`
   * kernels), imported at version 1; returns its output name.
   */
  nodeIn(domain: string, opType: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outName?: string): string {
    const out = this.claim(outName ?? this.fresh(opType.toLowerCase()));
    this.nodes.push({
      opType,
      domain,
      name: `${opType}_${this.nodes.length}`,
      input: inputs,
      output: [out],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    if (domain !== '') this.domains.add(domain);
    return out;
  }

  /** Conv with weight [CO, CI/group, KH, KW] and optional bias [CO]. */
  conv(x: string, w: string, b?: string, a: ConvAttrs = {}): string {
    return this.node('Conv', b === undefined ? [x, w] : [x, w, b], convAttrs(a));
  }

  /** ConvTranspose with weight [CI, CO/group, KH, KW] and optional bias [CO]. */
  convTranspose(x: string, w: string, b?: string, a: ConvAttrs & { outputPadding?: [number, number] } = {}): string {
    const attrs = convAttrs(a);
    if (a.outputPadding) attrs.output_padding = a.outputPadding;
    return this.node('ConvTranspose', b === undefined ? [x, w] : [x, w, b], attrs);
  }

  leakyRelu(x: string, alpha: number): string {
    return this.node('LeakyRelu', [x], { alpha: { f: alpha } });
  }

  relu(x: string): string {
    return this.node('Relu', [x]);
  }

  add(a: string, b: string): string {
    return this.node('Add', [a, b]);
  }

  concat(xs: string[], axis: number): string {
    return this.node('Concat', xs, { axis: { i: axis } });
  }

  maxPool(x: string, kernel: [number, number], a: { strides?: [number, number]; pads?: [number, number, number, number] } = {}): string {
    const attrs: Record<string, AttrValue> = { kernel_shape: kernel };
    if (a.strides) attrs.strides = a.strides;
    if (a.pads) attrs.pads = a.pads;
    return this.node('MaxPool', [x], attrs);
  }

  /** Pad (opset ≥ 11 form): `pads` is ONNX order, all begins then all ends, one per axis. */
  pad(x: string, pads: number[], mode: 'constant' | 'reflect' | 'edge' = 'constant', value = 0): string {
    const p = this.int64(this.fresh('pads'), pads);
    const inputs = [x, p];
    if (mode === 'constant' && value !== 0) inputs.push(this.weight(this.fresh('pad_value'), new Float32Array([value]), []));
    return this.node('Pad', inputs, { mode });
  }

  slice(x: string, starts: number[], ends: number[], axes: number[], steps?: number[]): string {
    const ins = [x, this.int64(this.fresh('starts'), starts), this.int64(this.fresh('ends'), ends), this.int64(this.fresh('axes'), axes)];
    if (steps) ins.push(this.int64(this.fresh('steps'), steps));
    return this.node('Slice', ins);
  }

  /** The ModelProto (IR version 8, opset 17). */
  model(): P.ModelProto {
    if (this.outputs.length === 0) throw new NunatakError('CONFIG', `ONNX graph ${this.name} has no outputs`, { hint: 'call output(value) for each result' });
    return onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'nunatak',
      opsetImport: [{ domain: '', version: ONNX_OPSET }, ...[...this.domains].map((domain) => ({ domain, version: 1 }))],
      graph: { name: this.name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs },
    });
  }

  /** Serialised model, ready for `OnnxSession.create` or a .onnx file. */
  toBytes(): Uint8Array {
    return onnx.ModelProto.encode(this.model()).finish();
  }
}

function convAttrs(a: ConvAttrs): Record<string, AttrValue> {
  const attrs: Record<string, AttrValue> = {};
  if (a.pads) attrs.pads = a.pads.length === 4 ? [a.pads[0], a.pads[1], a.pads[2], a.pads[3]] : a.pads;
  if (a.strides) attrs.strides = a.strides;
  if (a.dilations) attrs.dilations = a.dilations;
  if (a.group !== undefined) attrs.group = { i: a.group };
  return attrs;
}

/** TF.js conv filter [KH,KW,CI,CO] → ONNX Conv weight [CO,CI,KH,KW]. */
export function hwioToOihw(w: Float32Array, [KH, KW, CI, CO]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(w.length);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let ci = 0; ci < CI; ci++)
        for (let co = 0; co < CO; co++) out[((co * CI + ci) * KH + kh) * KW + kw] = w[((kh * KW + kw) * CI + ci) * CO + co];
  return out;
}

/** TF.js conv2dTranspose filter [KH,KW,OUT,IN] → ONNX ConvTranspose weight [IN,OUT,KH,KW]. */
export function hwoiToIohw(w: Float32Array, [KH, KW, O, I]: [number, number, number, number]): Float32Array {
  const out = new Float32Array(w.length);
  for (let kh = 0; kh < KH; kh++)
    for (let kw = 0; kw < KW; kw++)
      for (let o = 0; o < O; o++)
        for (let i = 0; i < I; i++) out[((i * O + o) * KH + kh) * KW + kw] = w[((kh * KW + kw) * O + o) * I + i];
  return out;
}
