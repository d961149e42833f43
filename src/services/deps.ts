import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import type { PackageBuilder } from '../packages/builder.ts';
import type { Sandbox } from '../sandbox/types.ts';
import type { EventsTarget } from './events.ts';

/** What every service is built from; tests inject their own clock and :memory: db. */
export interface ServiceDeps {
  db: Db;
  clock: Clock;
  secretBox: SecretBox;
  sandbox: Sandbox;
  /** Builds hooks' npm packages (src/packages/); without it, hooks cannot require packages. */
  packages?: PackageBuilder;
  /** Where live events travel; in-memory when absent (one process). */
  eventTarget?: EventsTarget;
  /** Where the services report what no caller is left to hear (a background run that failed…). */
  logger: Logger;
}
