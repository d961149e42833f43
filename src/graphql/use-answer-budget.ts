import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Bytes of large values (scripts, payloads, responses, console lines) one answer may carry. The
 * cost limit bounds how many items an operation asks for, not how big they are: within it, a
 * hundred executions with 256 KB payloads and responses, under fifteen aliases, would build a
 * gigabyte before the answer is serialized.
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** What one query or mutation has put into its answer so far. */
export class AnswerBudget {
  private spent = 0;
  exceeded = false;

  constructor(private readonly limit: number) {}

  /** Counts a value into the answer: its text, or its JSON. Past the limit, the answer is refused. */
  take<T>(value: T): T {
    if (value === null || value === undefined) return value;
    this.spent += typeof value === 'string' ? value.length : JSON.stringify(value).length;
    if (this.spent > this.limit) {
      this.exceeded = true;
      throw new GraphQLError('The answer is too large', { extensions: { code: 'RESPONSE_TOO_LARGE' } });
    }
    return value;
  }
}

/** Counts a large value of a field into the request's answer budget (none for subscription events). */
export function charged<T>(context: { answerBudget?: AnswerBudget }, value: T): T {
  return context.answerBudget ? context.answerBudget.take(value) : value;
}

/** Gives each query and mutation an AnswerBudget; an answer that passes it is replaced by one error. */
export function useAnswerBudget(limit = MAX_ANSWER_BYTES): Plugin<{ answerBudget?: AnswerBudget }> {
  return {
    onExecute({ extendContext }) {
      const budget = new AnswerBudget(limit);
      extendContext({ answerBudget: budget });
      return {
        onExecuteDone({ result, setResult }) {
          if (!budget.exceeded || Symbol.asyncIterator in Object(result)) return;
          const mib = Math.round(limit / 1024 / 1024);
          setResult({
            data: null,
            errors: [
              new GraphQLError(`The answer would be larger than ${mib} MiB: ask for fewer items, or fewer large fields (scripts, payloads, responses, logs) at once`, {
                extensions: { code: 'RESPONSE_TOO_LARGE' },
              }),
            ],
          });
        },
      };
    },
  };
}
