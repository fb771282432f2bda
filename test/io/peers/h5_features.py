"""Peer for the pure-JS HDF5 reader's tests (run with /usr/bin/python3; netCDF4-python and h5py on libhdf5).

usage:
  h5_features.py make DIR  -- write the feature files into DIR (names printed as JSON)
  h5_features.py convert SRC DST [LEVEL] -- copy a netCDF file to NetCDF4 (deflate LEVEL with shuffle, if given)
  h5_features.py raw PATH  -- JSON {dataset: {"shape", "le" (base64 of the values as little-endian bytes) or "strings"}}
                              for every dataset in the root group, read with h5py
"""
import base64
import json
import os
import sys

import h5py
import netCDF4
import numpy as np


def make(d):
    rng = np.random.default_rng(0)
    # netCDF-4 file with most of what netCDF-C writes: deflate + shuffle, packed
    # ints, big-endian, 64-bit ints, char and string variables, scalar, a
    # dimension without coordinate, a partly written variable (missing chunks
    # read as the fill value), many attributes, NC_STRING and vector attributes.
    nc = netCDF4.Dataset(os.path.join(d, "features.nc"), "w")
    nc.setncattr("title", "feature test")
    nc.setncattr_string("vstr", "a variable-length string")
    nc.setncattr("ints", np.array([1, 2, 3], "i4"))
    nc.setncattr("i64", np.int64(2**40))
    for k in range(12):
        nc.setncattr(f"extra{k}", k * 1.5)
    nc.createDimension("time", None)
    nc.createDimension("y", 13)
    nc.createDimension("x", 17)
    nc.createDimension("nchar", 5)
    nc.createDimension("nodim", 4)
    t = nc.createVariable("time", "f8", ("time",))
    t.units = "days since 2000-01-01"
    t.calendar = "360_day"
    z = nc.createVariable("z", "f4", ("time", "y", "x"), zlib=True, shuffle=True, chunksizes=(2, 5, 6), fill_value=np.float32(-9999))
    for k in range(14):
        z.setncattr(f"a{k:02d}", k)
    p = nc.createVariable("packed", "i2", ("y", "x"), zlib=True, complevel=9)
    p.scale_factor = 0.01
    p.add_offset = 10.0
    be = nc.createVariable("bigend", ">f8", ("y", "x"), endian="big")
    ui = nc.createVariable("u64", "u8", ("x",))
    c = nc.createVariable("names", "S1", ("y", "nchar"))
    s = nc.createVariable("labels", str, ("y",))
    sc = nc.createVariable("scalar", "i4")
    sc.note = "scalar"
    nd = nc.createVariable("nodimvar", "i1", ("nodim",))
    part = nc.createVariable("partial", "i4", ("y", "x"), chunksizes=(4, 4), fill_value=-1)
    for k in range(5):
        t[k] = k * 30.0
        z[k] = rng.standard_normal((13, 17)).astype("f4")
    z[2, 3, 4] = np.ma.masked
    p[:] = rng.uniform(-300, 300, (13, 17))
    be[:] = rng.standard_normal((13, 17))
    ui[:] = np.arange(17, dtype="u8") * 2**40
    c[:] = netCDF4.stringtochar(np.array([f"n{i}" for i in range(13)], "S5"))
    s[:] = np.array([f"label-{i}" for i in range(13)], dtype=object)
    sc.assignValue(42)
    nd[:] = [1, -2, 3, -4]
    part[0:4, 0:4] = 7
    nc.close()
    # Fletcher32 checksums: a filter the JS reader leaves to h5wasm.
    nc = netCDF4.Dataset(os.path.join(d, "fletcher32.nc"), "w")
    nc.createDimension("x", 10)
    v = nc.createVariable("v", "f4", ("x",), fletcher32=True)
    v[:] = np.arange(10)
    nc.close()
    # HDF5 1.10+ layouts (layout message version 4): fixed-array, single-chunk,
    # contiguous and compact storage, v2 object headers.
    with h5py.File(os.path.join(d, "latest.h5"), "w", libver="latest") as f:
        f.create_dataset("fixed", data=rng.standard_normal((20, 30)), chunks=(7, 8))
        f.create_dataset("fixedz", data=rng.standard_normal((20, 30)).astype("f4"), chunks=(7, 8), compression="gzip", shuffle=True)
        f.create_dataset("single", data=np.arange(12.0).reshape(3, 4), chunks=(3, 4))
        f.create_dataset("contig", data=np.arange(24, dtype="i2").reshape(2, 3, 4))
        space = h5py.h5s.create_simple((5,))
        plist = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        plist.set_layout(h5py.h5d.COMPACT)
        h5py.h5d.create(f.id, b"compact", h5py.h5t.STD_I32LE, space, plist).write(h5py.h5s.ALL, h5py.h5s.ALL, np.arange(5, dtype="<i4"))
        f.attrs["when"] = "now"
        f.attrs.create("fl", [1.5, 2.5])
    # Extensible-array chunk index (one unlimited axis, HDF5 1.10+): 600 chunks
    # (past the index block into secondary blocks), an unlimited axis that is
    # not the first (HDF5 reorders the index) with deflate, a fixed axis whose
    # maximum exceeds its size, and unwritten chunks.
    with h5py.File(os.path.join(d, "extarray.h5"), "w", libver="latest") as f:
        f.create_dataset("ext", data=np.arange(1200.0).reshape(300, 4), chunks=(1, 2), maxshape=(None, 4))
        f.create_dataset("mid", data=rng.standard_normal((3, 50, 4)).astype("f4"), chunks=(2, 3, 4), maxshape=(3, None, 4), compression="gzip")
        g = f.create_dataset("grow", shape=(7, 5), dtype="i2", chunks=(2, 2), maxshape=(None, 9), fillvalue=-5)
        g[0:2, 0:2] = 3
        g[5:7, :] = 4
    # Version 2 B-tree chunk index (two unlimited axes): left to h5wasm.
    with h5py.File(os.path.join(d, "btree2.h5"), "w", libver="latest") as f:
        f.create_dataset("two", data=np.arange(60.0).reshape(6, 10), chunks=(2, 5), maxshape=(None, None))
    # HDF5 1.6-style file: symbol-table root group, big-endian chunked data, a subgroup.
    with h5py.File(os.path.join(d, "old.h5"), "w", libver="earliest") as f:
        f.create_dataset("a", data=np.arange(100, dtype=">i4").reshape(10, 10), chunks=(3, 3))
        f.create_dataset("b", data=np.arange(7.0))
        f.create_group("grp").create_dataset("inner", data=[1, 2])
        f.attrs["s"] = np.bytes_("fixed")
    print(json.dumps(sorted(os.listdir(d))))


def convert(src, dst, level=None):
    with netCDF4.Dataset(src) as a, netCDF4.Dataset(dst, "w", format="NETCDF4") as b:
        b.setncatts({k: a.getncattr(k) for k in a.ncattrs()})
        for name, dim in a.dimensions.items():
            b.createDimension(name, None if dim.isunlimited() else len(dim))
        for name, v in a.variables.items():
            fill = v.getncattr("_FillValue") if "_FillValue" in v.ncattrs() else None
            kw = {"zlib": True, "complevel": int(level), "shuffle": True} if level is not None and v.ndim > 0 else {}
            w = b.createVariable(name, v.dtype, v.dimensions, fill_value=fill, **kw)
            w.setncatts({k: v.getncattr(k) for k in v.ncattrs() if k != "_FillValue"})
            v.set_auto_maskandscale(False)
            w.set_auto_maskandscale(False)
            w[...] = v[...]


def raw(path):
    out = {}
    with h5py.File(path, "r") as f:
        for name, obj in f.items():
            if not isinstance(obj, h5py.Dataset):
                continue
            a = obj[()]
            entry = {"shape": list(obj.shape)}
            if obj.dtype.kind in "fiu":
                entry["le"] = base64.b64encode(np.ascontiguousarray(a, dtype=obj.dtype.newbyteorder("<")).tobytes()).decode()
            elif obj.dtype.kind in "SO":
                flat = np.asarray(a, dtype=object).ravel()
                entry["strings"] = [x.decode() if isinstance(x, bytes) else str(x) for x in flat]
            out[name] = entry
    print(json.dumps(out))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    elif sys.argv[1] == "convert":
        convert(*sys.argv[2:])
    elif sys.argv[1] == "raw":
        raw(sys.argv[2])
    else:
        sys.exit(f"unknown command {sys.argv[1]}")
