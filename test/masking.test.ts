import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDb } from '../src/db/client.ts';
import { createSecretBox } from '../src/lib/secret-box.ts';
import type { Sandbox } from '../src/sandbox/types.ts';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createTestApp } from './helpers.ts';

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

describe('ids the API cannot read', () => {
  it('are refused without quoting what the client sent', async () => {
    const app = createTestApp();
    const query = `query($id: ID!) { hook(id: $id) { name } }`;
    const unreadable = await app.gql(query, { id: 'SECRETVAL13' });
    expect(unreadable.errors?.[0]).toMatchObject({ message: 'Invalid global ID', extensions: { code: 'BAD_USER_INPUT' } });
    // A readable id of another type is simply no hook.
    const otherType = await app.gql(query, { id: encodeGlobalID('Tenant', 'SECRETVAL14') });
    expect(otherType).toMatchObject({ data: { hook: null } });
    expect(JSON.stringify([unreadable, otherType])).not.toMatch(/SECRETVAL|VGVuYW50/);
  });
});
