/** The shapes the console reads (a subset of schema.graphql). */

export interface Trigger {
  id: string;
  description: string;
  signature: string;
  blocking: boolean;
  maxEnabledHooks: number;
  vendor?: string;
  starterCode?: string;
  samplePayload?: Record<string, unknown>;
  timeoutCeilingMs?: number;
  optionDefaults?: Record<string, unknown>;
}

export interface Hook {
  id: string;
  name: string;
  triggerId: string;
  enabled: boolean;
  version: number;
  script: string;
  timeoutMs: number;
  retries: number;
  options: Record<string, unknown>;
  envVarNames: string[];
  contextVersion: string | null;
  updatedAt: string;
  conditions: { source: string; operator: string; value: string }[];
  trigger: Trigger;
  secrets: { name: string; updatedAt: string }[];
}

/** Any typed error of a mutation result (the `Error` interface and its extra fields). */
export interface ApiError {
  __typename: string;
  message: string;
  field?: string;
  line?: number;
  column?: number;
  limit?: number;
  triggerId?: string;
  enabledHookId?: string;
  enabledHookName?: string;
}

export interface ExecutionRow {
  id: string;
  status: string;
  source: string;
  triggerId: string;
  createdAt: string;
  durationMs: number | null;
  /** Absent for a token without read:hooks, which does not ask for it. */
  hook?: { id: string; name: string } | null;
}

export interface Execution extends ExecutionRow {
  outcome: string | null;
  attempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  cpuTimeMs: number | null;
  logsTruncated: boolean;
  payload: unknown;
  response: unknown;
  effectiveResponse: unknown;
  warnings: { path: string; reason: string }[];
  error: { name: string; message: string; userMessage: string | null; line: number | null } | null;
  hookVersion?: { version: number } | null;
}

export interface LogLine {
  seq: number;
  level: string;
  message: string;
  time: string;
}

export const ENDED_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'MEMORY_LIMIT_EXCEEDED']);
