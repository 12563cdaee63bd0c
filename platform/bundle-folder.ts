import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { BundleReader } from '../domain/transparency/bundle.js';

/** An audit bundle kept as a folder: its files by relative path, with `/` separators on every platform. */
export function bundleFolder(dir: string): BundleReader {
  const paths = new Set(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => path.relative(dir, path.join(d.parentPath, d.name)).split(path.sep).join('/')),
  );
  return {
    paths: () => [...paths],
    read: (p) => (paths.has(p) ? readFileSync(path.join(dir, p)) : undefined),
  };
}
