import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { GraphQLError, type ASTVisitor, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { viewerOf } from '../context.ts';
import type { Services } from '../services/index.ts';
import { useAnswerBudget } from './use-answer-budget.ts';
import { useVariableCost } from './use-variable-cost.ts';

/** Limits on what one operation may ask for; introspection (GraphiQL's docs) is exempt from depth and cost. */
export const QUERY_LIMITS = {
  maxDepth: 10,
  maxCost: 50_000,
  maxAliases: 15,
  maxDirectives: 20,
  maxTokens: 2000,
} as const;

/** Bytes of a request body (Content-Length and the bytes actually streamed); more is HTTP 413. */
export const MAX_REQUEST_BODY_BYTES = 2 * 1024 * 1024;

/**
 * Simple requests (GET, form and text/plain POSTs), which browsers send cross-site without a
 * preflight, must carry this header (GraphiQL does); JSON POSTs need not.
 */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * A limit that is passed is reported like any other validation error (GRAPHQL_VALIDATION_FAILED,
 * HTTP 400 for `application/graphql-response+json`), instead of aborting validation by a throw.
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/** The protections against hostile operations, as yoga plugins. */
export function securityPlugins(services: Services): Plugin[] {
  return [
    useCSRFPreventionWithHint(),
    maxTokensPlugin({ n: QUERY_LIMITS.maxTokens }),
    // After the token limit, whose parser it wraps.
    useParseDepthGuard(),
    // Fragments on result unions (`... on RunHookSuccess`) add no depth of their own.
    maxDepthPlugin({ n: QUERY_LIMITS.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...asValidationError }),
    costLimitPlugin({ maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true, ...asValidationError }),
    // The same limit once variables are known (page sizes given as `$n`), and a bound on the answer's size.
    useVariableCost({ maxCost: QUERY_LIMITS.maxCost, ignoreIntrospection: true }),
    useAnswerBudget(),
    maxAliasesPlugin({ n: QUERY_LIMITS.maxAliases, ...asValidationError }),
    maxDirectivesPlugin({ n: QUERY_LIMITS.maxDirectives, ...asValidationError }),
    useSuggestionsForViewersOnly(services),
    useRequestParseErrors(),
  ];
}

/**
 * graphql-js parses recursively: a list or object literal nested a few thousand deep (`[[[[…`)
 * overflows the stack before the token limit counts that far, while the code is still cold. That is
 * the client's document at fault, answered like any other that does not parse, not an internal error.
 */
export function useParseDepthGuard(): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          throw new GraphQLError('Syntax Error: the document nests too deeply to parse', { extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } } });
        }
      });
    },
  };
}

/**
 * Request text that is not JSON (a POST body, or `variables`/`extensions` of a GET or form request)
 * is the client's mistake: HTTP 400 BAD_REQUEST with JSON.parse's reason and position, but not the
 * text it quotes (`…, "{"query": …" is not valid JSON`), which may hold a secret. yoga reports a body
 * as a GraphQLError carrying that message and lets a parameter's SyntaxError through as it is (an
 * internal error); both are answered here, before error masking would log them.
 */
function useRequestParseErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          const parseError = error instanceof SyntaxError ? error : (error as GraphQLError | undefined)?.extensions?.originalError;
          const { name, message } = (parseError ?? {}) as { name?: unknown; message?: unknown };
          if (name !== 'SyntaxError' || typeof message !== 'string') throw error;
          const what = error instanceof GraphQLError ? error.message.replace(/\.$/, '') : 'Request parameters are not valid JSON';
          const reason = message.split('"')[0]!.replace(/[\s,]+$/, '');
          throw new GraphQLError(`${what}: ${reason}`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
        }
      });
    },
  };
}

/**
 * yoga's CSRF prevention for form and text/plain POSTs, with a refusal that says what to send
 * instead. GET requests pass: hookgate authenticates by the Authorization header only, never by a
 * cookie, so a request a browser sends cross-site carries no credentials; and a GET can only
 * query (yoga answers a mutation over GET with 405). GraphQL clients that send queries as GET
 * (urql's default) work without the header.
 */
function useCSRFPreventionWithHint(): Plugin {
  const { onRequestParse } = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequestParse(payload) {
      if (payload.request.method === 'GET') return;
      // yoga refuses other methods than GET and POST (405), but after this check: DELETE without a
      // JSON body was a CSRF 403. OPTIONS (CORS preflight) is answered before parsing.
      if (payload.request.method !== 'POST') throw methodNotAllowed();
      try {
        return onRequestParse!(payload);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        const hint = `POST JSON (Content-Type: application/json), or add the ${CSRF_HEADER} header (any value)`;
        throw new GraphQLError(`${error.message}: ${hint}`, { extensions: error.extensions });
      }
    },
  };
}

/** yoga's own answer to a method it does not serve (plugins/request-validation/use-check-method-for-graphql). */
const methodNotAllowed = () =>
  new GraphQLError('GraphQL only supports GET and POST requests.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 405, headers: { Allow: 'GET, POST' } } },
  });

/**
 * "Did you mean …?" hints map the schema for a caller that guesses names; only callers with a
 * valid token get them. They come from validation and from coercing variables (execution).
 */
function useSuggestionsForViewersOnly(services: Services): Plugin {
  const authenticated = (context: { viewer?: unknown; request?: Request }) => {
    // Once the context is built (execution; graphql-ws validates after building it), it knows.
    if ('viewer' in context) return context.viewer != null;
    try {
      return viewerOf(services, context.request?.headers.get('authorization') ?? null) !== null;
    } catch {
      return false;
    }
  };
  return {
    onValidate: ({ context, addValidationRule }) => {
      if (authenticated(context)) return;
      // yoga keeps validation results per document and per the names of the rules: an anonymous
      // caller's (masked below) is kept apart, or a viewer asking next would be answered with it.
      addValidationRule(AnonymousCaller);
      return ({ valid, result, setResult }) => {
        if (!valid) setResult(withoutSuggestions(result));
      };
    },
    onExecutionResult: ({ result, setResult, context }) => {
      if (!result || Array.isArray(result) || !('errors' in result) || !result.errors?.length || authenticated(context)) return;
      setResult({ ...result, errors: withoutSuggestions(result.errors) });
    },
  };
}

/** A rule that checks nothing: its name sets anonymous callers' validation results apart in yoga's cache. */
function AnonymousCaller(): ASTVisitor {
  return {};
}

const blockSuggestions = blockFieldSuggestionsPlugin();

/**
 * graphql-armor's suggestion masking, reached through its validation hook (the package exports
 * no other entry). It edits messages in place, so it gets copies: yoga caches validation results
 * per document and shares them between requests, with and without a token.
 */
function withoutSuggestions<E extends Error>(errors: readonly E[]): E[] {
  let masked = errors.map(copyError);
  const end = blockSuggestions.onValidate?.({} as never);
  if (typeof end === 'function') end({ valid: false, result: masked, setResult: (next: E[]) => (masked = next) } as never);
  return masked;
}

function copyError<E extends Error>(error: E): E {
  if (!(error instanceof GraphQLError)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  }) as Error as E;
}
