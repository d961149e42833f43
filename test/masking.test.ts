import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDb } from '../src/db/client.ts';
import { createSecretBox } from '../src/lib/secret-box.ts';
import type { Sandbox } from '../src/sandbox/types.ts';

describe('unexpected errors', () => {
  it('reach the client masked, without their message', async () => {
    const broken: Sandbox = {
      run: () => Promise.reject(new Error('db password is hunter2')),
      checkSyntax: () => {
        throw new Error('internal detail: /etc/hookgate/secret');
      },
      dispose: async () => {},
    };
    const { yoga, services } = createApp({ db: openDb(':memory:'), secretBox: createSecretBox(randomBytes(32)), sandbox: broken });
    const { token } = services.tenants.bootstrap()!;
    const response = await yoga.fetch('http://hookgate.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation { createHook(input: {name: "x", triggerId: "pre-user-registration", script: "1"}) { __typename } }' }),
    });
    const text = await response.text();
    const body = JSON.parse(text);
    expect(body.errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(text).not.toContain('internal detail');
  });
});
