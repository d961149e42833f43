/**
 * A tiny npm registry on 127.0.0.1 for the build pipeline's tests: packuments and gzipped tarballs
 * of small packages made here, with their real integrity. It counts requests, so tests can tell a
 * cache hit from a fetch, and can serve a tampered tarball.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';

export interface FixturePackage {
  name: string;
  version: string;
  files: Record<string, string>;
  dependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  gypfile?: boolean;
}

export interface FixtureRegistry {
  url: string;
  /** Requests served so far (packuments and tarballs). */
  requests: string[];
  /** Serves other bytes than the published ones for this package's tarballs. */
  tamper(name: string): void;
  close(): Promise<void>;
}

function pack(pkg: FixturePackage, folder: string): Buffer {
  const root = join(folder, `${pkg.name.replace('/', '+')}-${pkg.version}`);
  const files: Record<string, string> = {
    'package.json': JSON.stringify({
      name: pkg.name,
      version: pkg.version,
      main: 'index.js',
      dependencies: pkg.dependencies,
      scripts: pkg.scripts,
      gypfile: pkg.gypfile,
    }),
    ...pkg.files,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, 'package', path)), { recursive: true });
    writeFileSync(join(root, 'package', path), text);
  }
  const file = `${root}.tgz`;
  tar.c({ gzip: true, cwd: root, sync: true, file, portable: true }, ['package']);
  return readFileSync(file);
}

export async function startFixtureRegistry(packages: FixturePackage[]): Promise<FixtureRegistry> {
  const folder = mkdtempSync(join(tmpdir(), 'hookgate-registry-'));
  const tarballs = new Map<string, Buffer>();
  const tampered = new Set<string>();
  const requests: string[] = [];
  let base = '';
  const packuments = new Map<string, { name: string; 'dist-tags': Record<string, string>; versions: Record<string, unknown> }>();
  for (const pkg of packages) {
    const bytes = pack(pkg, folder);
    const tarballPath = `/${pkg.name}/-/${pkg.name.split('/').pop()}-${pkg.version}.tgz`;
    tarballs.set(tarballPath, bytes);
    const packument = packuments.get(pkg.name) ?? { name: pkg.name, 'dist-tags': {}, versions: {} };
    packument.versions[pkg.version] = {
      name: pkg.name,
      version: pkg.version,
      dependencies: pkg.dependencies ?? {},
      scripts: pkg.scripts,
      gypfile: pkg.gypfile,
      hasInstallScript: pkg.scripts?.install !== undefined || pkg.scripts?.preinstall !== undefined || pkg.scripts?.postinstall !== undefined,
      dist: {
        tarball: tarballPath,
        integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
        shasum: createHash('sha1').update(bytes).digest('hex'),
      },
    };
    packument['dist-tags'].latest = pkg.version;
    packuments.set(pkg.name, packument);
  }
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname);
    requests.push(path);
    const tarball = tarballs.get(path);
    if (tarball) {
      const name = path.slice(1, path.indexOf('/-/'));
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(tampered.has(name) ? Buffer.concat([tarball.subarray(0, tarball.length - 8), Buffer.alloc(8)]) : tarball);
      return;
    }
    const packument = packuments.get(path.slice(1));
    if (!packument) {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"Not found"}');
      return;
    }
    const versions = Object.fromEntries(
      Object.entries(packument.versions).map(([version, manifest]) => {
        const withDist = manifest as { dist: { tarball: string } };
        return [version, { ...withDist, dist: { ...withDist.dist, tarball: base + withDist.dist.tarball } }];
      }),
    );
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ ...packument, versions }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    requests,
    tamper: (name) => tampered.add(name),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
