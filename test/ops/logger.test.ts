import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.ts';
import { logCollector } from './service-helpers.ts';

/** Raw lines written to a stream (pretty ones are not JSON). */
function rawCollector() {
  let text = '';
  const stream = new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) });
  return { stream, text: () => text };
}

describe('the logger', () => {
  it('writes JSON lines at the level asked, with fields', () => {
    const { stream, lines } = logCollector();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.debug('hidden');
    logger.info({ event: 'listening', url: 'http://x' }, 'hello');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, name: 'hookgate', event: 'listening', url: 'http://x', msg: 'hello' });
  });

  it('censors fields that may hold a credential', () => {
    const { stream, raw } = logCollector();
    createLogger({ destination: stream }).warn({ token: 'hg_abc', password: 'pw', headers: { authorization: 'Bearer hg_abc' }, secrets: { A: 'b' } }, 'careful');
    expect(raw[0]).not.toContain('hg_abc');
    expect(raw[0]).not.toContain('"pw"');
    expect(JSON.parse(raw[0]!)).toMatchObject({ token: '[REDACTED]', password: '[REDACTED]', headers: { authorization: '[REDACTED]' }, secrets: '[REDACTED]' });
  });

  it('writes pretty lines when asked (as in a terminal)', () => {
    const out = rawCollector();
    createLogger({ pretty: true, destination: out.stream }).info({ event: 'listening' }, 'hello there');
    expect(out.text()).toMatch(/INFO.*hello there/);
    expect(out.text()).toContain('event: "listening"');
    expect(() => JSON.parse(out.text())).toThrow();
  });
});
