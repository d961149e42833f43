import { lexicographicSortSchema, printSchema } from 'graphql';
import { builder } from './builder.ts';
import './scalars.ts';
import './errors.ts';
import './viewer.ts';
import './triggers.ts';
import './hooks.ts';
import './hook-mutations.ts';
import './packages.ts';
import './secrets.ts';
import './tokens.ts';
import './tenants.ts';
import './executions.ts';
import './execution-queries.ts';
import './runs.ts';
import './subscriptions.ts';

builder.queryType({ description: 'Reads of hooks, triggers, executions and the caller.' });
builder.mutationType({ description: 'Changes to hooks, secrets and tokens; runs of hooks.' });

export const schema = builder.toSchema({ sortSchema: true });

/** The schema as committed in schema.graphql. */
export const printedSchema = () => printSchema(lexicographicSortSchema(schema)) + '\n';
