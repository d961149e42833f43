import { describe, expect, it } from 'vitest';
import { overhang, passwordValues, REDACTED, Redactor } from '../../src/services/redact.ts';
import { base64Forms, writtenForms } from '../../src/services/written-forms.ts';

describe('Redactor', () => {
  it('replaces password keys at any depth and every secret value inside strings and keys', () => {
    const redactor = new Redactor(['s3cr3t', 'xy']);
    const out = redactor.json({
      user: { password: 'hunter2', newPassword: 'x', profile: { note: 'token=s3cr3t;' } },
      list: [{ s3cr3t: 1 }, 'xy stays'],
    });
    expect(out).toEqual({
      user: { password: REDACTED, newPassword: REDACTED, profile: { note: `token=${REDACTED};` } },
      list: [{ [REDACTED]: 1 }, 'xy stays'],
    });
  });

  it('keeps every key and string in its place when one holds the character it joins them with', () => {
    const redactor = new Redactor(['s3cr3t-pass']);
    expect(redactor.json({ a: 'x\u0000y', b: 's3cr3t-pass', 'k\u0000': 'z s3cr3t-pass\u0000s3cr3t-pass' })).toEqual({
      a: 'x\u0000y',
      b: REDACTED,
      'k\u0000': `z ${REDACTED}\u0000${REDACTED}`,
    });
  });

  it('keeps a __proto__ key as data instead of changing the copy’s prototype', () => {
    const input = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}');
    const out = new Redactor([]).json(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('Redactor.line', () => {
  it('masks the start of a secret left at the end of a line the sandbox cut', () => {
    const redactor = new Redactor(['sk_live_ABCDEFGH']);
    expect(redactor.line('xxxx sk_live_AB… [hookgate: line cut at 4096 bytes]')).toBe(`xxxx ${REDACTED}… [hookgate: line cut at 4096 bytes]`);
    expect(redactor.line('key sk_live_ABCDEFGH end')).toBe(`key ${REDACTED} end`);
    expect(redactor.line('nothing secret here… [hookgate: line cut at 4096 bytes]')).toBe('nothing secret here… [hookgate: line cut at 4096 bytes]');
  });
});

describe('overhang', () => {
  it('finds the longest start of a pattern that a text ends with, also for periodic patterns', () => {
    expect(overhang('xxabcab', 'abcabd')).toBe(5);
    expect(overhang('aaaa', 'aab')).toBe(2);
    expect(overhang('xyz', 'zebra')).toBe(1);
    expect(overhang('xyz', 'abc')).toBe(0);
    expect(overhang('zzaab', 'aabaab')).toBe(3);
    expect(overhang(`${'a'.repeat(4_096)}`, `${'a'.repeat(2_000)}b${'a'.repeat(8_000)}`)).toBe(2_000);
  });
});

describe('Redactor: secrets in the forms they are written in (issue 11, item 6)', () => {
  const CUT = '… [hookgate: line cut at 4096 bytes]';

  it('masks a secret with quotes, backslashes and newlines in its JSON, doubly-JSON, console-quoted and URL forms', () => {
    const secrets = [`Db's-pa$$`, 'C:\\keys\\prod.pem', '"q\\z', 'two\nlines'];
    const redactor = new Redactor(secrets);
    for (const secret of secrets) {
      const written = [
        secret,
        JSON.stringify({ secret }),
        JSON.stringify({ secret }, null, 2),
        JSON.stringify(JSON.stringify({ secret })),
        `{ secret: '${secret.replace(/['\\\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`))}' }`,
        `invalid URL "https://x.test/?pass=${encodeURIComponent(secret)}"`,
      ];
      for (const line of written) {
        const masked = redactor.line(line);
        expect(masked, line).toContain(REDACTED);
        for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) expect(masked).not.toContain(form);
      }
    }
  });

  it('masks the start of a secret that straddles the clip of an error text, in any form', () => {
    const secret = `S3cr3t-${'x'.repeat(53)}`;
    const redactor = new Redactor([secret, `it's-"quoted"-${'y'.repeat(40)}`]);
    const clipped = `${'e'.repeat(4096 - 56)}${secret.slice(0, 56)}…`;
    const out = redactor.json({ name: 'Error', message: clipped }) as { message: string };
    expect(out.message).toBe(`${'e'.repeat(4096 - 56)}${REDACTED}…`);
    const jsonCut = `${'e'.repeat(10)}${JSON.stringify(`it's-"quoted"-`).slice(1, -1)}${CUT}`;
    expect(redactor.line(jsonCut)).toBe(`${'e'.repeat(10)}${REDACTED}${CUT}`);
    expect(redactor.json('Loading…')).toBe('Loading…');
  });

  it('masks cut lines in linear time: 100 lines against 20 secrets of 10,000 characters', () => {
    // The worst case of the old loop (every length of every secret tried at every cut): each
    // secret's start repeats itself, and each line ends with almost all of a secret's start.
    const secrets = Array.from({ length: 20 }, (_, i) => `${'a'.repeat(9_990)}${String(i).padStart(10, 'b')}`);
    const redactor = new Redactor(secrets);
    const line = `x${'a'.repeat(4_095)}${CUT}`;
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(redactor.line(line)).toBe(`x${REDACTED}${CUT}`);
    // Quadratic, this took about 18 s; linear, a few milliseconds.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(redactor.line(`${'a'.repeat(2_000)}b${'a'.repeat(30)}${CUT}`)).toBe(`${'a'.repeat(2_000)}b${REDACTED}${CUT}`);
  });

  it('masks the end of a cut line as far as a secret could reach when too many long secrets would make the exact search costly', () => {
    const secrets = Array.from({ length: 150 }, (_, i) => `'"\\\n${'a'.repeat(990)}${String(i).padStart(6, 'b')}`);
    const redactor = new Redactor(secrets);
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      const masked = redactor.line(`${'c'.repeat(4_096)}${CUT}`);
      // The longest form (the secret JSON-escaped twice) is a little over 1,000 characters.
      expect(masked).toMatch(/^c{3000,3096}\[REDACTED\]… \[hookgate: line cut at 4096 bytes\]$/);
    }
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('collects the values under password-like keys at any depth', () => {
    expect(passwordValues({ user: { password: 'p1', profile: { legacy_password: 'p2' } }, list: [{ newPassword: 'p3' }], n: 1 }).sort()).toEqual(['p1', 'p2', 'p3']);
  });
});

describe('Redactor: a secret percent-encoded in a URL', () => {
  const secret = 'p@ss word!';
  const redactor = new Redactor([secret, "it's (x)~"]);

  it('masks it as URLSearchParams writes it (the sandbox’s and the standard’s), as encodeURI and the sandbox’s URL write it', () => {
    const lines = [
      `user=svc&pass=${encodeURIComponent(secret).replaceAll('%20', '+')}`,
      new URLSearchParams({ user: 'svc', pass: secret }).toString(),
      encodeURI(`https://x.test/login?pass=${secret}`),
      `https://x.test/login?pass=${secret.replaceAll(' ', '%20')}`,
      `https://x.test/?q=${encodeURIComponent(secret)}`,
    ];
    expect(lines[1]).toBe('user=svc&pass=p%40ss+word%21');
    for (const line of lines) expect(redactor.line(line), line).toMatch(/=\[REDACTED\]$/);
    expect(redactor.line(new URLSearchParams({ q: "it's (x)~" }).toString())).toBe(`q=${REDACTED}`);
    // The console quotes a `'` that encodeURI leaves as it is.
    expect(redactor.line(`[ '${encodeURI("it's (x)~").replaceAll("'", "\\'")}' ]`)).toBe(`[ '${REDACTED}' ]`);
  });

  it('adds no form for a value every encoding leaves as it is', () => {
    expect(new Set(writtenForms('sk_live-Abc.123')).size).toBe(1);
    expect(new Set(writtenForms(secret))).toEqual(new Set([secret, 'p@ss%20word!', 'p%40ss%20word!', 'p%40ss+word!', 'p%40ss+word%21']));
  });
});

describe('Redactor: the start of a secret at a cut, however short', () => {
  const CUT = '… [hookgate: line cut at 4096 bytes]';
  const secret = 'sk_live_Abc123XyZ';

  it('masks one or two characters of a secret left at the end of a cut line or a clipped error text', () => {
    const redactor = new Redactor([secret]);
    expect(redactor.line(`${'y'.repeat(4095)}s${CUT}`)).toBe(`${'y'.repeat(4095)}${REDACTED}${CUT}`);
    expect(redactor.line(`${'é'.repeat(2047)}sk${CUT}`)).toBe(`${'é'.repeat(2047)}${REDACTED}${CUT}`);
    expect(redactor.line(`${'y'.repeat(10)}${CUT}`)).toBe(`${'y'.repeat(10)}${CUT}`);
    expect(redactor.line('sk but not cut')).toBe('sk but not cut');
    const clipped = `${'e'.repeat(4095)}s…`;
    expect(redactor.json({ message: clipped })).toEqual({ message: `${'e'.repeat(4095)}${REDACTED}…` });
  });

  it('masks a short value cut inside its quotes, not a quote alone', () => {
    const redactor = new Redactor([], ['77']);
    expect(redactor.line(`{"code":"7${CUT}`)).toBe(`{"code":${REDACTED}${CUT}`);
    expect(redactor.line(`{"code":"${CUT}`)).toBe(`{"code":"${CUT}`);
  });
});

describe('Redactor: the end user’s values too short to mask in text', () => {
  const redactor = new Redactor([], ['77', 'zq', '']);

  it('masks a key or string of a JSON value that is one, whole', () => {
    expect(redactor.json({ code: '77', d: 'zq', zq: 1, list: ['77', 'a77b', 'I have 77 apples', ''], n: 77 })).toEqual({
      code: REDACTED,
      d: REDACTED,
      [REDACTED]: 1,
      list: [REDACTED, 'a77b', 'I have 77 apples', ''],
      n: REDACTED,
    });
    expect(redactor.json('zq')).toBe(REDACTED);
  });

  it('masks one as a whole quoted string in text (JSON, JSON in JSON, the console’s quotes), and a line that is one', () => {
    const context = { code: '77', note: 'I have 77 apples' };
    expect(redactor.line(JSON.stringify(context))).toBe(`{"code":"${REDACTED}","note":"I have 77 apples"}`);
    expect(redactor.line(JSON.stringify({ wrapped: JSON.stringify(context) }))).toBe(`{"wrapped":"{\\"code\\":\\"${REDACTED}\\",\\"note\\":\\"I have 77 apples\\"}"}`);
    expect(redactor.line("{ code: '77', d: 'zq' }")).toBe(`{ code: '${REDACTED}', d: '${REDACTED}' }`);
    expect(redactor.line('77')).toBe(REDACTED);
    expect(redactor.line('code 77, zq and "177"')).toBe('code 77, zq and "177"');
    expect(redactor.json({ message: 'invalid code "77"' })).toEqual({ message: `invalid code "${REDACTED}"` });
  });

  it('masks a short value’s quotes whole when they are a longer secret’s form', () => {
    const both = new Redactor([], ['77', '"77"']);
    expect(both.line('x "77" y')).toBe(`x ${REDACTED} y`);
  });
});

describe('Redactor: a text holding a few forms many times', () => {
  const redactor = new Redactor(['hunter22'], ['77']);

  it('masks each of them, quoted short values in JSON inside JSON too', () => {
    expect(redactor.line('a hunter22 b {\\"code\\":\\"77\\"}')).toBe(`a ${REDACTED} b {\\"code\\":\\"${REDACTED}\\"}`);
  });

  it('masks every one past the number found one by one, where the automaton takes over', () => {
    const masked = redactor.line(`${'hunter22 '.repeat(300)}${'\\"77\\" '.repeat(300)}`);
    expect(masked).not.toContain('hunter22');
    expect(masked).not.toContain('77');
    expect(masked.split(REDACTED).length - 1).toBe(600);
  });
});

describe('Redactor: the tenant’s short values (issue: a 2-character secret corrupted the pipeline’s data)', () => {
  it('leaves a secret or env var under three characters alone wherever it stands, and masks longer ones as before', () => {
    const redactor = new Redactor(['eu', '1', 'sk_live_x'], []);
    const response = { user: { username: 'eu', user_metadata: { hobby: 'eu', nick: 'eu', level: 1 } }, eu: ['1', 1] };
    expect(redactor.json(response)).toEqual(response);
    expect(redactor.line('eu')).toBe('eu');
    expect(redactor.line(JSON.stringify(response))).toBe(JSON.stringify(response));
    expect(redactor.line("{ region: 'eu' }")).toBe("{ region: 'eu' }");
    expect(redactor.line(`${'y'.repeat(10)}e… [hookgate: line cut at 4096 bytes]`)).toBe(`${'y'.repeat(10)}e… [hookgate: line cut at 4096 bytes]`);
    expect(redactor.json({ key: 'sk_live_x', n: 'k=sk_live_x' })).toEqual({ key: REDACTED, n: `k=${REDACTED}` });
  });

  it('masks a short value whole when the end user sent it too, whoever else holds it', () => {
    const redactor = new Redactor(['eu'], ['eu']);
    expect(redactor.json({ password_hint: 'eu' })).toEqual({ password_hint: REDACTED });
    expect(redactor.line('eu')).toBe(REDACTED);
  });
});

describe('Redactor: a number equal to the end user’s value (a one-time code sent as a number)', () => {
  const redactor = new Redactor([], ['123456', '77']);

  it('masks a number of a JSON value whose text is one, and no other number', () => {
    expect(redactor.json({ context: { code: 123456 }, n: 77, list: [77, 177, 1234567, 7.7], s: '123456' })).toEqual({
      context: { code: REDACTED },
      n: REDACTED,
      list: [REDACTED, 177, 1234567, 7.7],
      s: REDACTED,
    });
    expect(new Redactor(['443', '12'], []).json({ port: 443, n: 12 })).toEqual({ port: 443, n: 12 });
  });

  it('masks it in a console line as its string is: whole, in JSON and in the console’s printing of an object', () => {
    expect(redactor.line('123456')).toBe(REDACTED);
    expect(redactor.line(JSON.stringify({ code: 123456 }))).toBe(`{"code":${REDACTED}}`);
    expect(redactor.line('77')).toBe(REDACTED);
    expect(redactor.line(JSON.stringify({ code: 77, n: 177, m: [77, 1.77, -77] }))).toBe(`{"code":${REDACTED},"n":177,"m":[${REDACTED},1.77,-77]}`);
    expect(redactor.line(JSON.stringify({ code: 77 }, null, 2))).toBe(`{\n  "code": ${REDACTED}\n}`);
    expect(redactor.line('{ code: 77 }')).toBe(`{ code: ${REDACTED} }`);
    expect(redactor.line('I have 77 apples, 77')).toBe('I have 77 apples, 77');
    expect(redactor.json({ message: 'bad body {"code":77}' })).toEqual({ message: `bad body {"code":${REDACTED}}` });
  });

  it('collects a number under a password-like key as its text', () => {
    expect(passwordValues({ user: { password: 1234, pin_password: 7 }, n: 5 }).sort()).toEqual(['1234', '7']);
  });
});

describe('Redactor: a secret base64-encoded', () => {
  const secret = 's3cr3t!pass';
  const redactor = new Redactor([secret]);
  const b64 = (text: string) => Buffer.from(text).toString('base64');

  it('masks it in HTTP Basic credentials at each of the three alignments, leaving at most a character at each end', () => {
    for (const user of ['', 'a', 'ab', 'abc', 'svc-user']) {
      const masked = redactor.line(`Authorization: Basic ${b64(`${user}:${secret}`)}`);
      expect(masked).toContain(REDACTED);
      const [before, after] = masked.replace('Authorization: Basic ', '').split(REDACTED) as [string, string];
      // The characters of the user's part alone, then at most one (with bits of the secret's first byte).
      expect(before.length).toBeLessThanOrEqual(Math.floor((8 * (user.length + 1)) / 6) + 1);
      expect(after.replace(/=+$/, '').length).toBeLessThanOrEqual(1);
    }
  });

  it('masks it whole, padding and all, encoded alone, standard or URL-safe; and inside an encoded JSON document', () => {
    expect(redactor.line(btoa(secret))).toBe(REDACTED);
    expect(redactor.line(Buffer.from(secret).toString('base64url'))).toBe(REDACTED);
    const document = b64(JSON.stringify({ key: secret, n: 1 }));
    // Unmasked, the document holds the secret's form at one of the three alignments.
    expect(base64Forms(secret).some((form) => document.includes(form))).toBe(true);
    const masked = redactor.json({ document }) as { document: string };
    expect(masked.document).toContain(REDACTED);
    for (const form of base64Forms(secret)) expect(masked.document).not.toContain(form);
  });

  it('masks one whose encoding has + and /: URL-safe, and percent-encoded in a URL', () => {
    const plusSlash = 'k9>?~x>?~q7>?';
    expect(b64(plusSlash)).toMatch(/[+/]/);
    const masker = new Redactor([plusSlash]);
    const basic = b64(`svc:${plusSlash}`);
    for (const text of [basic, Buffer.from(`svc:${plusSlash}`).toString('base64url'), encodeURIComponent(basic), new URLSearchParams({ auth: basic }).toString()]) {
      const [, after] = masker.line(`?auth=${text}`).split(REDACTED) as [string, string | undefined];
      expect(after?.replace(/(=|%3D)+$/, '').length).toBeLessThanOrEqual(1);
    }
    expect(masker.line(encodeURIComponent(b64(plusSlash)))).toBe(REDACTED);
  });

  it('masks one escaped in an encoded JSON document', () => {
    const quoted = 'pa"ss\\word-long-secret';
    const document = b64(JSON.stringify({ password: quoted }));
    const out = new Redactor([quoted]).line(document);
    expect(out).toContain(REDACTED);
    expect(Buffer.from(out.split(REDACTED).join(''), 'base64').toString('latin1')).not.toContain('word-long');
  });

  it('masks a Latin-1 secret as btoa encodes it, and as UTF-8', () => {
    const latin = new Redactor(['pässwörd']);
    expect(latin.line(btoa('pässwörd'))).toBe(REDACTED);
    expect(latin.line(Buffer.from('pässwörd').toString('base64'))).toBe(REDACTED);
  });

  it('looks for no base64 form of a value under six bytes, whose encoding could occur by chance', () => {
    expect(base64Forms('abcde')).toEqual([]);
    expect(base64Forms('abcdef').length).toBeGreaterThan(0);
    expect(new Redactor(['abcde']).line(`x ${btoa('abcde')}`)).toBe(`x ${btoa('abcde')}`);
  });
});

describe('Redactor: many secrets base64-encoded', () => {
  it('masks them in one pass over the text (in the automaton of short forms), not a pass per form', () => {
    const secrets = Array.from({ length: 150 }, (_, i) => `secret-${String(i).padStart(4, '0')}`);
    const redactor = new Redactor(secrets);
    const line = `a ${btoa(`svc:${secrets[7]}`)} and ${Buffer.from(secrets[149]!).toString('base64url')}`;
    expect(redactor.line(line)).toMatch(/^a c3ZjOn?\[REDACTED\] and \[REDACTED\]$/);
    // 150 secrets give 1,200 base64 forms: looked for one by one, each would be a pass over the text.
    expect((redactor as unknown as { longForms: string[] }).longForms).toEqual([]);
  });

  it('masks long ones (64 hex digits) whole: their base64 forms are long forms', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    const secrets = Array.from({ length: 150 }, (_, i) => i.toString(16).padStart(4, '0').repeat(16));
    const redactor = new Redactor(secrets);
    for (const user of ['', 'a', 'ab']) {
      const encoded = b64(`${user}:${secrets[42]}`);
      const [before, after] = redactor.line(encoded).split(REDACTED) as [string, string];
      expect(before.length).toBeLessThanOrEqual(Math.floor((8 * (user.length + 1)) / 6) + 1);
      expect(after.replace(/=+$/, '').length).toBeLessThanOrEqual(1);
    }
  });
});
