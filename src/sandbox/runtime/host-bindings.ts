/**
 * What the host hands the runtime when a context boots (`install(postLog, limitsJson)`): its
 * console callback and the limits. Held here, in the runtime's closure, never on a global.
 */
import type { PostLog, RuntimeLimits } from '../runtime-protocol.ts';
import { JSONParse } from './intrinsics.ts';

export let postLog: PostLog;
export let limits: RuntimeLimits;

export function bindHost(log: PostLog, limitsJson: string): void {
  postLog = log;
  limits = JSONParse(limitsJson) as RuntimeLimits;
}
