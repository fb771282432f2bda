export { readNpy, writeNpy, parseNpy, encodeNpy, type NpyArray, type NpyDType, type NpyData } from './npy.js';
