/**
 * Shared set-up of the `nunatak view` browser tests: the page bundle is built,
 * Debian's chromium is launched through playwright-core (CHROMIUM overrides
 * the path), and screenshots are named in the artefact folder.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Screenshot path: outputs/test-artifacts/view/<name>, or docs/img/<name> with NUNATAK_DOCS_IMG=1 (the docs' pictures). */
export function shotPath(name: string): string {
  const dir = process.env.NUNATAK_DOCS_IMG === '1' ? 'docs/img' : 'outputs/test-artifacts/view';
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Build build/view (fails the test with esbuild's message) and start headless chromium. */
export async function buildAndLaunch(): Promise<Browser> {
  const b = spawnSync(process.execPath, ['scripts/build-view.mjs'], { encoding: 'utf8' });
  assert.equal(b.status, 0, b.stderr);
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium' });
}
