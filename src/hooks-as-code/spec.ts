/** A hook as a folder describes it, whichever format it was read from. */
export interface HookSpec {
  /** The file the hook was read from, named by every error about it. */
  file: string;
  /** The file the script was read from (a script that does not compile names it). */
  scriptFile: string;
  name: string;
  triggerId: string;
  script: string;
  /** Fields a format leaves out (Auth0's has no timeout, say) keep the target's value, or the default. */
  enabled?: boolean;
  timeoutMs?: number;
  retries?: number;
  conditions?: { source: 'roles'; operator: '~' | '!~'; value: string }[];
  options?: Record<string, boolean>;
  envVarNames?: string[];
  contextVersion?: string;
  /** npm packages, name → version range (Auth0 `dependencies`, OneLogin `packages`). */
  dependencies?: Record<string, string>;
  /** Secret name → the value to set, or null: keep the target's value (a folder never holds one). */
  secrets: Record<string, string | null>;
}

/** A hook as it stands in the database, with its script and secret names (never values). */
export interface StoredHook {
  id: string;
  name: string;
  triggerId: string;
  script: string;
  enabled: boolean;
  timeoutMs: number;
  retries: number;
  conditions: { source: 'roles'; operator: '~' | '!~'; value: string }[];
  options: Record<string, boolean>;
  envVarNames: string[];
  contextVersion: string | null;
  dependencies: Record<string, string>;
  secretNames: string[];
}

/** A folder that cannot be imported: the message names the file at fault. */
export class HooksFolderError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'HooksFolderError';
  }
}
