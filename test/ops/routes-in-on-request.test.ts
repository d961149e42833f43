import type { Plugin } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { useConsole } from '../../src/console/use-console.ts';
import { createMetricsEndpoint } from '../../src/ops/metrics-endpoint.ts';
import { silentLogger } from '../../src/ops/logger.ts';
import { useHealthCheck } from '../../src/plugins/use-health-check.ts';
import { useMetricsEndpoint } from '../../src/plugins/use-metrics-endpoint.ts';
import { useReadiness } from '../../src/plugins/use-readiness.ts';
import { useRootPointer } from '../../src/graphql/use-root-pointer.ts';
import { useVendorApis } from '../../src/rest/use-vendor-apis.ts';
import { createTestApp } from '../helpers.ts';

/**
 * The plugins that answer their own paths in onRequest sit in front of every GraphQL request. A
 * hook that returns a promise makes each of those requests wait a turn of the event loop for it,
 * so they answer other paths synchronously and go async only for their own.
 */
describe('routes answered in onRequest', () => {
  const app = createTestApp();
  const routes: [string, Plugin, string][] = [
    ['console', useConsole(), '/console/'],
    ['readiness', useReadiness(async () => ({ ready: true, checks: {} })), '/ready'],
    ['metrics', useMetricsEndpoint(createMetricsEndpoint(new Registry(), undefined)), '/metrics'],
    ['health', useHealthCheck(), '/health'],
    ['root pointer', useRootPointer('/graphql'), '/'],
    ['vendor APIs', useVendorApis(app.services, app.db, silentLogger()), '/api/v2/hooks'],
  ];

  function callOnRequest(plugin: Plugin, path: string, method = 'GET') {
    const url = new URL(`http://hookgate.test${path}`);
    const answered: Response[] = [];
    const returned = plugin.onRequest!({
      request: new Request(url, { method, headers: method === 'POST' ? { 'content-type': 'application/json' } : {} }),
      url,
      endResponse: (response: Response) => answered.push(response),
      fetchAPI: { Response, Request },
    } as never);
    return { returned, answered };
  }

  it.each(routes)('%s returns nothing for a GraphQL request', (_name, plugin) => {
    const { returned, answered } = callOnRequest(plugin, '/graphql', 'POST');
    expect(returned).toBeUndefined();
    expect(answered).toHaveLength(0);
  });

  it.each(routes)('%s answers its own path', async (_name, plugin, path) => {
    const { returned, answered } = callOnRequest(plugin, path);
    await returned;
    expect(answered).toHaveLength(1);
    expect(answered[0]!.status).toBeGreaterThanOrEqual(200);
  });
});
