/**
 * Set the string padding of named HDF5 attributes to h5py's convention —
 * variable-length strings null-terminated, fixed-length strings null-padded —
 * by patching their datatype messages in place. h5wasm cannot choose the
 * padding (it writes UTF-8 strings space-padded and fixed-length ASCII
 * null-terminated); Keras files written by h5py use h5py's. Works on files
 * with version-1 object headers (libver 'earliest': no checksums) and version-1
 * attribute messages: version 1, reserved 0, name size, datatype size, dataspace
 * size (u16 each), the name null-terminated and padded to 8 bytes, then the
 * datatype message (class in the low nibble of byte 0; for a fixed string the
 * padding is the low nibble of byte 1, for a variable-length string its high nibble).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { NunatakError } from '../core/errors.js';

const STRING = 3;
const VLEN = 9;
const NULLTERM = 0;
const NULLPAD = 1;

/** Patch every attribute called one of `names` in `file`; returns how many were patched. */
export function setH5StringPadding(file: string, names: string[]): number {
  const buf = readFileSync(file);
  let patched = 0;
  for (const name of names) {
    const key = Buffer.from(`${name}\0`, 'ascii');
    let found = 0;
    for (let at = buf.indexOf(key); at >= 0; at = buf.indexOf(key, at + 1)) {
      const p = at - 8;
      if (p < 0 || buf[p] !== 1 || buf[p + 1] !== 0 || buf.readUInt16LE(p + 2) !== key.length) continue;
      const dt = p + 8 + Math.ceil(key.length / 8) * 8;
      const cls = buf[dt] & 0x0f;
      if (cls === STRING) buf[dt + 1] = (buf[dt + 1] & 0xf0) | NULLPAD;
      else if (cls === VLEN && (buf[dt + 1] & 0x0f) === 1) buf[dt + 1] = (buf[dt + 1] & 0x0f) | (NULLTERM << 4);
      else continue; // not a string attribute (e.g. an empty float64 weight_names)
      found++;
    }
    if (found === 0 && name !== 'weight_names') {
      throw new NunatakError('IO', `${file}: no version-1 attribute message '${name}' found to set its string padding`, {
        hint: 'the file must be written with libver "earliest" (version-1 object headers)',
      });
    }
    patched += found;
  }
  writeFileSync(file, buf);
  return patched;
}
