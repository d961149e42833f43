import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { Sandbox } from '../sandbox/types.ts';

/** What every service is built from; tests inject their own clock and :memory: db. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  sandbox: Sandbox;
}
