import type { ServiceDeps } from './deps.ts';
import { createHookService } from './hooks.ts';
import { createHookVersionService } from './hook-versions.ts';
import { createSecretService } from './secrets.ts';
import { createTenantService } from './tenants.ts';
import { createTokenService } from './tokens.ts';

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: ServiceDeps) {
  const tokens = createTokenService(deps);
  const tenants = createTenantService(deps, tokens);
  const hooks = createHookService(deps);
  const hookVersions = createHookVersionService(deps);
  const secrets = createSecretService(deps, hooks);
  return { tokens, tenants, hooks, hookVersions, secrets };
}
