/**
 * The typed-array constructor for each numeric dtype name used across nunatak
 * (NetCDF/HDF5, npy, UDF buffers). `bool` is stored one byte per value.
 */
export const TYPED_ARRAY_CTORS = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

export type NumericDType = keyof typeof TYPED_ARRAY_CTORS;
