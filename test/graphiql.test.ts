import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers.ts';

describe('GraphiQL', () => {
  it('is served whole by the service, with no script or style from elsewhere', async () => {
    const app = createTestApp();
    const response = await app.yoga.fetch('http://hookgate.test/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('<title>hookgate</title>');
    expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet[^>]+href=["']?https?:/);
    expect(html).not.toContain('unpkg.com');
  });
});
