import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'graphql-yoga';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// Everything comes from this origin: the console works offline and loads nothing from elsewhere.
// CodeMirror sets styles on its elements, hence 'unsafe-inline' for styles (never for scripts).
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

// The build is flat (console/build.ts): a plain file name is all a request may ask for, so no
// path can reach outside the folder.
const FILE_NAME = /^[a-z0-9][a-z0-9_-]*\.[a-z]+$/i;

export interface ConsoleOptions {
  /** The built console (console/dist). */
  root?: string;
}

/** Serves the admin console built into console/dist at /console/. */
export function useConsole({ root = fileURLToPath(new URL('../../console/dist/', import.meta.url)) }: ConsoleOptions = {}): Plugin {
  const base = '/console';
  type Answer = (body: BodyInit | null, status: number, headers?: Record<string, string>) => void;

  async function serve(url: URL, request: Request, answer: Answer) {
    // Relative asset paths in the page need the trailing slash.
    if (url.pathname === base) return answer(null, 308, { location: `${base}/` });
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer('Method not allowed', 405, { allow: 'GET, HEAD' });
    const name = url.pathname.slice(base.length + 1) || 'index.html';
    const type = CONTENT_TYPES[extname(name)];
    if (!FILE_NAME.test(name) || !type) return answer('Not found', 404, { 'content-type': CONTENT_TYPES['.txt']! });
    try {
      const body = await readFile(join(root, name));
      return answer(request.method === 'HEAD' ? null : body, 200, { 'content-type': type });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (name !== 'index.html') return answer('Not found', 404, { 'content-type': CONTENT_TYPES['.txt']! });
      return answer('The console is not built: run `npm run console:build` (npm install does it).', 503, { 'content-type': CONTENT_TYPES['.txt']! });
    }
  }

  return {
    // Synchronous for every other request: an async hook would make each one wait a turn for it.
    onRequest({ url, request, fetchAPI, endResponse }) {
      if (url.pathname !== base && !url.pathname.startsWith(`${base}/`)) return;
      return serve(url, request, (body, status, headers = {}) =>
        endResponse(new fetchAPI.Response(body, { status, headers: { ...SECURITY_HEADERS, ...headers } })),
      );
    },
  };
}
