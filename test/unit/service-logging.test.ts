import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.ts';
import { createDialectApp, type Dialect } from '../../src/rest/router.ts';
import { createRunQueue } from '../../src/services/run-queue.ts';
import { createTestApp } from '../helpers.ts';
import { logCollector } from '../ops/service-helpers.ts';

describe('unexpected failures go to the injected pino logger, never to the console', () => {
  it('a REST handler that throws: one error line with the error, a 500 answer that does not describe it', async () => {
    const app = createTestApp();
    const logs = logCollector();
    const dialect: Dialect = {
      basePath: '/api/test',
      routes: (rest) => {
        rest.get('/boom', () => {
          throw new Error('kaboom inside');
        });
      },
      errorAnswer: () => ({ status: 400, body: {} }),
      internalError: { status: 500, body: { error: 'Internal Server Error' } },
    };
    const rest = createDialectApp(dialect, app.services, app.db, createLogger({ destination: logs.stream, level: 'info' }));
    const response = await rest.fetch(new Request('http://hookgate.test/api/test/boom', { headers: { authorization: `Bearer ${app.adminToken}` } }));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('kaboom');
    expect(logs.lines).toEqual([expect.objectContaining({ level: 50, event: 'rest-error', dialect: '/api/test', err: expect.objectContaining({ message: 'kaboom inside' }) })]);
  });

  it('a queued run that fails to run is reported to onError with its id', async () => {
    const reported: [string, unknown][] = [];
    const failure = new Error('no database');
    const queue = createRunQueue({ concurrency: 1, perTenant: 1, run: async () => Promise.reject(failure), onError: (id, error) => reported.push([id, error]) });
    queue.push('exec-1', 'tenant-1');
    await new Promise((resolve) => setImmediate(resolve));
    await queue.idle();
    expect(reported).toEqual([['exec-1', failure]]);
  });
});
