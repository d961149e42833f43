import { createYoga } from 'graphql-yoga';
import { createContext } from './context.ts';
import type { Db } from './db/client.ts';
import { maskError } from './graphql/errors.ts';
import { schema } from './graphql/schema.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import type { SecretBox } from './lib/secret-box.ts';
import type { Sandbox } from './sandbox/types.ts';
import { createServices } from './services/index.ts';

export interface AppParts {
  db: Db;
  secretBox: SecretBox;
  sandbox: Sandbox;
  clock?: Clock;
}

/** The GraphQL service built from injected parts. It never listens: main.ts and tests do. */
export function createApp(parts: AppParts) {
  const services = createServices({ ...parts, clock: parts.clock ?? systemClock });
  const yoga = createYoga({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'hookgate', defaultQuery: GRAPHIQL_QUERY },
    maskedErrors: { maskError },
    context: (initial) => createContext(services, initial),
  });
  return { yoga, services };
}

const GRAPHIQL_QUERY = `# Put your token in the Headers tab: {"Authorization": "Bearer <token>"}
query Start {
  viewer { tenant { name } scopes }
  triggers { id blocking }
}
`;
