/** Issue 11, item 11: the small ones. */
import { describe, expect, it } from 'vitest';
import { listenUrl } from '../src/lib/listen-url.ts';
import { CREATE_HOOK, createHook, createTestApp } from './helpers.ts';

const ONELOGIN = 'exports.handler = async (context) => ({ success: true, user: { policy_id: 1 } })';

describe('hook input', () => {
  it('refuses an empty script or scriptBase64 when saved, instead of failing at every run', async () => {
    const app = createTestApp();
    for (const [field, value] of [['script', ''], ['script', '  \n\t '], ['scriptBase64', Buffer.from(' \n').toString('base64')]]) {
      const { createHook: answer } = await app.ok(CREATE_HOOK, { input: { name: 'empty', triggerId: 'pre-user-registration', [field]: value } });
      expect(answer, `${field}: ${JSON.stringify(value)}`).toEqual({ __typename: 'ValidationError', message: `input.${field}: a hook script must not be empty`, field: `input.${field}` });
    }
    const hook = await createHook(app, { name: 'h', triggerId: 'pre-user-registration', script: 'module.exports = (u, c, cb) => cb(null, {})' });
    const update = await app.ok(`mutation($input: UpdateHookInput!) { updateHook(input: $input) { __typename ... on ValidationError { field } } }`, { input: { id: hook.id, script: '' } });
    expect(update.updateHook).toEqual({ __typename: 'ValidationError', field: 'input.script' });
    // A Runner draft too: it would run and fail with NoHandlerError, recorded for nothing.
    const run = `mutation($input: RunHookInput!) { runHook(input: $input) { __typename ... on ValidationError { field message } } }`;
    for (const script of ['', '  \n\n ']) {
      expect((await app.ok(run, { input: { hookId: hook.id, script } })).runHook).toEqual({ __typename: 'ValidationError', field: 'input.script', message: 'input.script: a hook script must not be empty' });
    }
    expect(await app.ok(`{ executions(first: 5) { edges { cursor } } }`)).toEqual({ executions: { edges: [] } });
  });

  it('validates contextVersion against the versions of the trigger’s context', async () => {
    const app = createTestApp();
    const create = (name: string, triggerId: string, contextVersion: string) =>
      app.ok(CREATE_HOOK, { input: { name, triggerId, script: triggerId === 'pre-authentication' ? ONELOGIN : 'module.exports = (u, c, cb) => cb(null, {})', contextVersion } }).then((d) => d.createHook);
    expect(await create('a', 'pre-authentication', '9.9.9')).toMatchObject({
      __typename: 'ValidationError',
      field: 'input.contextVersion',
      message: 'input.contextVersion: no context version of pre-authentication satisfies "9.9.9"; served: 1.0.0',
    });
    expect(await create('b', 'pre-authentication', 'latest please')).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/must be a version or a range/) });
    expect(await create('c', 'pre-user-registration', '1.0.0')).toMatchObject({ __typename: 'ValidationError', message: expect.stringMatching(/has no context versions/) });
    expect((await create('d', 'pre-authentication', '>= 1.0.0')).__typename).toBe('CreateHookSuccess');
    expect((await create('e', 'user-migration', '1.0.0')).__typename).toBe('CreateHookSuccess');
  });
});

describe('GET /', () => {
  it('says where the API is instead of an empty 404', async () => {
    const app = createTestApp();
    const response = await app.yoga.fetch('http://hookgate.test/', { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/graphql');
    expect(await response.text()).toMatch(/the GraphQL API is at \/graphql/);
    expect((await app.yoga.fetch('http://hookgate.test/elsewhere')).status).toBe(404);
  });
});

describe('the start banner', () => {
  it('names the host the server listens on, localhost when it listens on every interface', () => {
    expect(listenUrl('127.0.0.1', 4000, '/graphql')).toBe('http://127.0.0.1:4000/graphql');
    expect(listenUrl('0.0.0.0', 4000, '/graphql')).toBe('http://localhost:4000/graphql');
    expect(listenUrl(undefined, 4000, '/graphql')).toBe('http://localhost:4000/graphql');
    expect(listenUrl('::', 4001, '/graphql')).toBe('http://localhost:4001/graphql');
    expect(listenUrl('::1', 4000, '/graphql')).toBe('http://[::1]:4000/graphql');
    expect(listenUrl('hooks.internal', 80, '/graphql')).toBe('http://hooks.internal:80/graphql');
  });
});
