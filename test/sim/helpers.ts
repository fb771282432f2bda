// Shared imports for the sim physics tests.
import { isNunatakError, type ErrorCode } from '../../src/core/errors.ts';
export * from '../../src/sim/physics/index.ts';

/** True for a NunatakError with `code` whose message matches `re`. */
export function isNunatakErrorLike(e: unknown, code: ErrorCode, re: RegExp): boolean {
  return isNunatakError(e, code) && re.test(e.message);
}
