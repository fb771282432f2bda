export { readNpy, readNpyHeader, writeNpy, parseNpy, parseNpyHeader, encodeNpy, type NpyHeader, type NpyArray, type NpyDType, type NpyData } from './npy.js';
