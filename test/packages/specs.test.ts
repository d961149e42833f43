/** What a hook asks for: declared dependencies, inline versions, plain requires, Node's modules. */
import { describe, expect, it } from 'vitest';
import { isRegistryRange, parseSpecifier, planPackages } from '../../src/packages/specs.ts';

describe('package plans', () => {
  it('parses names, inline versions, scopes and subpaths', () => {
    expect(parseSpecifier('lodash')).toEqual({ name: 'lodash', range: null, subpath: '' });
    expect(parseSpecifier('axios@0.21.1')).toEqual({ name: 'axios', range: '0.21.1', subpath: '' });
    expect(parseSpecifier('@slack/webhook@6.1.0')).toEqual({ name: '@slack/webhook', range: '6.1.0', subpath: '' });
    expect(parseSpecifier('lodash/fp')).toEqual({ name: 'lodash', range: null, subpath: '/fp' });
    expect(parseSpecifier('Not A Package')).toBeNull();
    expect(parseSpecifier('axios@')).toBeNull();
  });

  it('finds requires with the parser: comments and strings do not count, relative paths are left alone', async () => {
    const plan = await planPackages(
      `// const nope = require('left-pad');
       const text = "require('also-not')";
       const request = require('request');
       const crypto = require('node:crypto');
       const local = require('./local');
       let fs; try { fs = require('fs'); } catch {}
       module.exports = (u, c, cb) => cb(null, Buffer.from(text).toString('base64'));`,
      { auth0: '2.30.0' },
    );
    expect(plan!.packages).toEqual({ auth0: '2.30.0', request: 'latest' });
    expect(plan!.modules).toEqual({
      auth0: { kind: 'package', target: 'auth0' },
      request: { kind: 'package', target: 'request' },
      'node:crypto': { kind: 'node', target: 'crypto' },
      buffer: { kind: 'node', target: 'buffer' },
    });
  });

  it('needs no plan for a script that requires nothing, and one key per distinct set', async () => {
    expect(await planPackages('module.exports = (u, c, cb) => cb();', {})).toBeNull();
    const a = await planPackages("require('uuid'); require('lodash')", {});
    const b = await planPackages("require('lodash');\nrequire('uuid');", {});
    const c = await planPackages("require('lodash')", { uuid: '^9.0.0' });
    expect(a!.key).toBe(b!.key);
    expect(c!.key).not.toBe(a!.key);
  });

  it('refuses an inline version that contradicts the declared one, and a specifier that names no package', async () => {
    await expect(planPackages("require('axios@0.21.1')", { axios: '^1.0.0' })).rejects.toMatchObject({ code: 'VERSION_CONFLICT', packageName: 'axios' });
    await expect(planPackages("require('axios@0.21.1')", { axios: '0.21.1' })).resolves.toMatchObject({ packages: { axios: '0.21.1' } });
    await expect(planPackages("require('Bad Name')", {})).rejects.toMatchObject({ code: 'INVALID_SPECIFIER' });
  });

  it('accepts only what the registry answers: no file:, git, URL or alias specs', async () => {
    for (const range of ['1.2.3', '^1.0.0', '~2.1', '>=1 <3', '1.x', 'latest', 'next']) expect(isRegistryRange(range)).toBe(true);
    for (const range of ['file:/etc', 'file:../data', 'git+https://example.com/x.git', 'github:user/repo', 'https://example.com/x.tgz', 'npm:lodash@4', '../x']) {
      expect(isRegistryRange(range)).toBe(false);
    }
    await expect(planPackages("require('x')", { x: 'file:/etc' })).rejects.toMatchObject({ code: 'INVALID_SPECIFIER' });
    await expect(planPackages("require('lodash@file:/etc')", {})).rejects.toMatchObject({ code: 'INVALID_SPECIFIER' });
  });
});
