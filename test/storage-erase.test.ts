/** Issue 11, item 8: what deleteHook deletes leaves the database file and its WAL. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { openDb } from '../src/db/client.ts';
import { createSecretBox } from '../src/lib/secret-box.ts';
import { testSandbox } from './helpers.ts';

const folder = mkdtempSync(join(tmpdir(), 'hookgate-erase-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('deleted is gone', () => {
  it('zeroes a deleted hook’s script and logs in hg.db and empties hg.db-wal once deleteHook has answered', async () => {
    const path = join(folder, 'hg.db');
    const db = openDb(path);
    const { yoga, services } = createApp({ db, secretBox: createSecretBox(randomBytes(32)), sandbox: testSandbox() });
    const { token } = services.tenants.bootstrap()!;
    const gql = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await yoga.fetch('http://hookgate.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      return ((await response.json()) as { data: any }).data;
    };
    const MARKER = `Marker-${randomBytes(8).toString('hex')}`;
    const created = await gql(`mutation($input: CreateHookInput!) { createHook(input: $input) { ... on CreateHookSuccess { hook { id } } } }`, {
      input: { name: 'h', triggerId: 'pre-user-registration', script: `module.exports = (u, c, cb) => { console.log('${MARKER}'); cb(null, {}) } // ${MARKER}` },
    });
    const hookId = created.createHook.hook.id;
    const run = await gql(`mutation($id: ID!) { runHook(input: { hookId: $id }) { ... on RunHookSuccess { execution { status } } } }`, { id: hookId });
    expect(run.runHook.execution.status).toBe('SUCCEEDED');
    const files = () => [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1')).join('');
    expect(files()).toContain(MARKER);

    const deleted = await gql(`mutation($id: ID!) { deleteHook(input: { id: $id }) { __typename } }`, { id: hookId });
    expect(deleted.deleteHook.__typename).toBe('DeleteHookSuccess');
    expect(db.$erasing).not.toBeNull();
    await db.$erasing;
    expect(files()).not.toContain(MARKER);
    expect(existsSync(`${path}-wal`) ? readFileSync(`${path}-wal`).length : 0).toBe(0);
    db.$client.close();
  });
});
