/** The operations the console sends: the public GraphQL API, nothing else. */

/** Who the token is: any valid token may ask, so the console opens whatever its scopes. */
export const VIEWER = `query Viewer { viewer { tenant { name } scopes } }`;

/** The trigger catalogue (scope read:hooks): asked for only by a token that holds it. */
export const TRIGGERS = `query Triggers { triggers { id description signature blocking maxEnabledHooks vendor } }`;

export const HOOKS = `query Hooks($first: Int!, $after: String, $filter: HookFilter) {
  hooks(first: $first, after: $after, filter: $filter) {
    edges { node { id name triggerId enabled version updatedAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** A hook's name alone, for a hook known by id (the executions filter given ?hook=…). */
export const HOOK_NAME = `query HookName($id: ID!) { hook(id: $id) { id name } }`;

export const TRIGGER = `query Trigger($id: String!) { trigger(id: $id) { id description signature starterCode samplePayload maxEnabledHooks } }`;

/** Every mutation's typed errors: the `Error` interface, which each of them implements. */
export const ERROR_FIELDS = `__typename ... on Error { message }`;
/** Where the union has them: the place of a syntax error, and who holds a trigger's enabled slot. */
const SYNTAX_FIELDS = `... on ScriptSyntaxError { line column }`;
const LIMIT_FIELDS = `... on EnabledHookLimitError { limit triggerId enabledHookId enabledHookName }`;

const HOOK_FIELDS = `id name triggerId enabled version script timeoutMs retries options envVarNames contextVersion updatedAt
  conditions { source operator value }
  trigger { id description signature samplePayload maxEnabledHooks timeoutCeilingMs optionDefaults }
  secrets { name updatedAt }`;

export const HOOK = `query Hook($id: ID!) { hook(id: $id) { ${HOOK_FIELDS} } }`;

export const CREATE_HOOK = `mutation CreateHook($input: CreateHookInput!) {
  createHook(input: $input) { ${ERROR_FIELDS} ${SYNTAX_FIELDS} ${LIMIT_FIELDS} ... on CreateHookSuccess { hook { id } } }
}`;

export const UPDATE_HOOK = `mutation UpdateHook($input: UpdateHookInput!) {
  updateHook(input: $input) { ${ERROR_FIELDS} ${SYNTAX_FIELDS} ${LIMIT_FIELDS} ... on UpdateHookSuccess { hook { ${HOOK_FIELDS} } } }
}`;

export const DELETE_HOOK = `mutation DeleteHook($id: ID!) { deleteHook(input: { id: $id }) { ${ERROR_FIELDS} } }`;

export const VERSIONS = `query Versions($id: ID!) { hook(id: $id) { id version versions(first: 50) { id version createdAt script } } }`;

export const ROLLBACK_HOOK = `mutation Rollback($hookId: ID!, $version: Int!) {
  rollbackHook(input: { hookId: $hookId, version: $version }) { ${ERROR_FIELDS} ... on RollbackHookSuccess { hook { id version } } }
}`;

export const SET_SECRETS = `mutation SetSecrets($input: SetHookSecretsInput!) {
  setHookSecrets(input: $input) { ${ERROR_FIELDS} ... on SetHookSecretsSuccess { hook { id secrets { name updatedAt } } } }
}`;

export const DELETE_SECRETS = `mutation DeleteSecrets($input: DeleteHookSecretsInput!) {
  deleteHookSecrets(input: $input) { ${ERROR_FIELDS} ... on DeleteHookSecretsSuccess { hook { id secrets { name updatedAt } } } }
}`;

export const ENV_VARS = `query EnvVars { envVars { name updatedAt } }`;
export const SET_ENV_VAR = `mutation SetEnvVar($input: SecretInput!) { setEnvVar(input: $input) { ${ERROR_FIELDS} } }`;
export const DELETE_ENV_VAR = `mutation DeleteEnvVar($name: String!) { deleteEnvVar(input: { name: $name }) { ${ERROR_FIELDS} } }`;

export const START_RUN = `mutation StartRun($input: RunHookInput!) {
  startRun(input: $input) { ${ERROR_FIELDS} ${SYNTAX_FIELDS} ... on StartRunSuccess { execution { id status } } }
}`;

/**
 * An execution's hook needs read:hooks: a log viewer's token (read:executions alone) leaves it out
 * (`$withHook`), rather than get a FORBIDDEN error in every answer and live event.
 */
const EXECUTION_ROW = `id status source triggerId createdAt durationMs hook @include(if: $withHook) { id name }`;

export const EXECUTIONS = `query Executions($first: Int!, $after: String, $filter: ExecutionFilter, $withHook: Boolean!) {
  executions(first: $first, after: $after, filter: $filter) {
    edges { node { ${EXECUTION_ROW} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const EXECUTION_UPDATED = `subscription ExecutionUpdated($filter: ExecutionUpdateFilter, $withHook: Boolean!) { executionUpdated(filter: $filter) { ${EXECUTION_ROW} } }`;

export const EXECUTION = `query Execution($id: ID!, $withHook: Boolean!) {
  execution(id: $id) {
    ${EXECUTION_ROW} outcome attempts startedAt finishedAt cpuTimeMs logsTruncated
    payload response effectiveResponse warnings { path reason } error { name message userMessage line }
    hookVersion @include(if: $withHook) { version }
  }
}`;

export const EXECUTION_LOGS = `subscription ExecutionLogs($id: ID!) { executionLogs(executionId: $id) { seq level message time } }`;
