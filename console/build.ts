/**
 * Builds the admin console (console/src) into console/dist: one script, one stylesheet and the
 * page, with no content hash in the names, so the same sources always give the same files.
 * Run by `npm install` (the root package's `prepare`) and by the browser tests.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const CONSOLE_DIST = fileURLToPath(new URL('./dist/', import.meta.url));

export async function buildConsole(outdir = CONSOLE_DIST): Promise<void> {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: { app: fileURLToPath(new URL('./src/main.tsx', import.meta.url)) },
    outdir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'eof',
    logLevel: 'warning',
  });
  await copyFile(new URL('./index.html', import.meta.url), `${outdir}/index.html`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildConsole();
  console.log(`hookgate console built into ${CONSOLE_DIST}`);
}
