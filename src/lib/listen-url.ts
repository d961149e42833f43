import { isIP } from 'node:net';

/**
 * The URL to print for a server listening on `host`: `localhost` when it listens on every
 * interface (the default `0.0.0.0`, or `::`), else the host it was told to use (`HOST=127.0.0.1`
 * prints 127.0.0.1, where it can be reached; an IPv6 address goes in brackets).
 */
export function listenUrl(host: string | undefined, port: number, path: string): string {
  const everywhere = host === undefined || host === '' || host === '0.0.0.0' || host === '::';
  const name = everywhere ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
  return `http://${name}:${port}${path}`;
}
