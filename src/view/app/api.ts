/** Fetch helpers: JSON routes and binary slabs; a server error becomes an ApiError with its message and hint. */
import { SLAB_HEADERS, type ErrorBody } from '../protocol.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

async function check(res: Response): Promise<Response> {
  if (res.ok) return res;
  let body: ErrorBody | undefined;
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON: fall through to the status line
  }
  throw new ApiError(res.status, body?.error.code ?? 'HTTP', body?.error.message ?? `${res.status} ${res.statusText}`, body?.error.hint);
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await check(await fetch(path))).json()) as T;
}

export interface SlabData {
  data: Float32Array;
  shape: number[];
  stride: number[];
  min: number;
  max: number;
}

/** A map slice or series as Float32 values with its shape, stride and finite range. */
export async function getSlab(path: string): Promise<SlabData> {
  const res = await check(await fetch(path));
  const nums = (h: string) => (res.headers.get(h) ?? '').split(',').map(Number);
  return {
    data: new Float32Array(await res.arrayBuffer()),
    shape: nums(SLAB_HEADERS.shape),
    stride: nums(SLAB_HEADERS.stride),
    min: Number(res.headers.get(SLAB_HEADERS.min)),
    max: Number(res.headers.get(SLAB_HEADERS.max)),
  };
}

/** URL path of a file id: each segment percent-encoded. */
export const idPath = (id: string) => id.split('/').map(encodeURIComponent).join('/');
