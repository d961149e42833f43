import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/sandbox/index.ts';
import { SyntaxChecker } from '../../src/sandbox/syntax-check.ts';
import { readSample } from './helpers.ts';

const sandbox = createSandbox({ poolSize: 2 });
afterAll(() => sandbox.dispose());

describe('checkSyntax', () => {
  it('accepts the samples', async () => {
    for (const name of ['auth0-pre-user-registration-metadata.js', 'auth0-pre-user-registration-starter.js', 'onelogin-pre-authentication.js']) {
      expect(await sandbox.checkSyntax(readSample(name))).toBeNull();
    }
  });

  it('refuses a script that closes the function it is pasted into, and runs nothing of it', async () => {
    const escape = "module.exports = (u, c, cb) => cb(null, 'x'); }); globalThis.ran = true; while (true) {} (function () {";
    expect(await sandbox.checkSyntax(escape)).toEqual({
      message: 'A hook script is the body of a function, and this one closes that function early (check its braces)',
      line: 1,
      column: 1,
    });
    // Bodies that merely look odd are fine: a top-level return, a trailing comment, strict mode.
    expect(await sandbox.checkSyntax("'use strict';\nif (!module) return;\nmodule.exports = (u, c, cb) => cb(null, {}) // done")).toBeNull();
  });

  it('reports line and column in the script, not in the wrapper', async () => {
    expect(await sandbox.checkSyntax('module.exports = function (user, context, cb) {\n  cb(null, {);\n};')).toEqual({
      message: "Unexpected token ')'",
      line: 2,
      column: 13,
    });
  });

  it('reports columns on the first line without the wrapper prefix', async () => {
    expect(await sandbox.checkSyntax('let x = 1 +;')).toEqual({ message: "Unexpected token ';'", line: 1, column: 12 });
  });

  it('reports early errors V8 finds when compiling', async () => {
    expect(await sandbox.checkSyntax('let a = 1;\nlet a = 2;')).toMatchObject({ message: "Identifier 'a' has already been declared", line: 2, column: 5 });
  });

  it('accepts top-level return and a trailing line comment, as Node CommonJS does', async () => {
    expect(await sandbox.checkSyntax('if (true) return;\nmodule.exports = () => {} // done')).toBeNull();
  });

  it('rejects module syntax, which CommonJS hooks cannot use', async () => {
    expect(await sandbox.checkSyntax("import fs from 'fs';")).toMatchObject({ line: 1 });
  });
});

describe('syntax errors at the end of a script', () => {
  it('are reported on the script’s last line, not on the wrapper’s', async () => {
    expect(await sandbox.checkSyntax('module.exports = function (\n{')).toMatchObject({ line: 2, column: 2 });
  });

  it('say the script ended too early, never name a token of the wrapper', async () => {
    // An unclosed function, a dangling assignment (a OneLogin `function` cut short), a trailing newline.
    expect(await sandbox.checkSyntax('module.exports = function(u,c,cb){ ')).toEqual({ message: 'Unexpected end of input', line: 1, column: 36 });
    expect(await sandbox.checkSyntax('module.exports = ')).toEqual({ message: 'Unexpected end of input', line: 1, column: 18 });
    expect(await sandbox.checkSyntax('module.exports = function () {\n  return 1;\n')).toEqual({ message: 'Unexpected end of input', line: 3, column: 1 });
    // A brace too many closes the wrapper's function: the brace is named, not an end of input.
    expect(await sandbox.checkSyntax('module.exports = function(u,c,cb){ cb(null,{}) }}')).toEqual({ message: "Unexpected token '}'", line: 1, column: 49 });
    expect(await sandbox.checkSyntax('module.exports = function(u,c,cb){ cb(null,{}) }\n}\n')).toEqual({ message: "Unexpected token '}'", line: 2, column: 1 });
    // A token of the script's own on its last line is still named.
    expect(await sandbox.checkSyntax('module.exports = 1;\nlet x = )')).toEqual({ message: "Unexpected token ')'", line: 2, column: 9 });
  });
});

describe('hostile scripts (issue 11, item 4)', () => {
  it('answers a deeply nested script with a syntax problem, not an internal error', async () => {
    for (const script of ['('.repeat(100_000), `x = ${'+(a'.repeat(50_000)}`, `${'['.repeat(30_000)}${']'.repeat(30_000)}`]) {
      expect(await sandbox.checkSyntax(script)).toEqual({
        message: 'The script nests too deeply to compile (brackets, parentheses or expressions inside one another)',
        line: 1,
        column: 1,
      });
    }
  });

  it('compiles off the main thread: the event loop keeps turning while V8 works through 99 KB of costly regex literals', async () => {
    const script = 'r = /[^\\p{L}--\\p{Lu}]/vi;\n'.repeat(3_800);
    let largestGap = 0;
    let last = performance.now();
    const cpuBefore = process.threadCpuUsage();
    const ticker = setInterval(() => {
      const now = performance.now();
      largestGap = Math.max(largestGap, now - last);
      last = now;
    }, 5);
    const problem = await sandbox.checkSyntax(script);
    clearInterval(ticker);
    const { user, system } = process.threadCpuUsage(cpuBefore);
    expect(problem === null || /takes longer than/.test(problem.message)).toBe(true);
    // V8 spends hundreds of milliseconds on this script, on isolated-vm's thread: the main thread's
    // own CPU time stays small. Its wall-clock gaps, which a loaded machine stretches, only rule out a stall.
    expect((user + system) / 1000).toBeLessThan(100);
    expect(largestGap).toBeLessThan(2_000);
  });

  it('gives up on a script at its deadline, with a syntax problem, and lets other checks go on', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    // A deadline far shorter than V8 needs for this script (hundreds of milliseconds at least).
    const checker = new SyntaxChecker(1);
    try {
      const slow = checker.check('r = /[^\\p{L}--\\p{Lu}]/vi;\n'.repeat(3_800));
      expect(await slow).toEqual({ message: 'The script takes longer than 0.001 s to compile', line: 1, column: 1 });
      expect(await new SyntaxChecker().check('module.exports = (u, c, cb) => cb(null, {})')).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      checker.dispose();
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the checker’s isolates', () => {
  it('are reused by checks that end in time, without growing', async () => {
    const checker = new SyntaxChecker();
    try {
      const script = `module.exports = function (u, c, cb) { const big = ${JSON.stringify('x'.repeat(50_000))}; cb(null, { n: big.length }) }`;
      for (let i = 0; i < 300; i++) expect(await checker.check(script)).toBeNull();
      expect(await checker.check('let x = 1 +;')).toMatchObject({ line: 1 });
    } finally {
      checker.dispose();
    }
  });
});
