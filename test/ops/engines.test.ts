/**
 * package.json's `engines.node` is a promise: every Node release it admits runs every installed package. npm checks
 * each package's own `engines.node` at install and warns (EBADENGINE) when the running Node is outside it, so a
 * promise wider than a dependency's range shows up as a warning on someone's machine, or as a crash. The lockfile
 * records each package's range; each must contain the whole of the project's (docs/decisions/0005-*.md).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** semver's `subset(sub, sup)`: every version `sub` admits is admitted by `sup` (semver ships no types here). */
const { subset, satisfies } = createRequire(import.meta.url)('semver') as {
  subset(sub: string, sup: string): boolean;
  satisfies(version: string, range: string): boolean;
};

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const root = join(import.meta.dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

/** The packages whose `engines.node` does not contain all of `promised`, as "path range". */
function narrowerThan(promised: string): string[] {
  return Object.entries(lock.packages).flatMap(([path, entry]) => {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (path === '' || range === undefined) return [];
    return subset(promised, range) ? [] : [`${path} ${range}`];
  });
}

describe('engines.node tells the truth', () => {
  const promised = manifest.engines.node;

  it('GIVEN the lockfile THEN every package admits every Node release package.json promises', () => {
    expect(narrowerThan(promised)).toEqual([]);
  });

  it('GIVEN the lockfile THEN its copy of the promise is the one in package.json', () => {
    expect(lock.packages['']?.engines).toEqual(manifest.engines);
  });

  it('GIVEN the Node releases the project runs on (the machines, the image) THEN the promise admits them', () => {
    // 20.20.2: the development and CI machines; 24.22.3: the image's base (Dockerfile).
    for (const version of ['20.20.2', '24.22.3']) expect(satisfies(version, promised)).toBe(true);
    expect(satisfies(process.versions.node, promised)).toBe(true);
  });

  it('GIVEN a wider promise (any Node from 20 on) THEN packages that do not keep it are named', () => {
    expect(narrowerThan('>=20')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^node_modules\/better-sqlite3 /)]),
    );
  });
});
