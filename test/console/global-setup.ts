/** Builds the console once before any test file runs, so the tests use the current sources. */
import { buildConsole } from '../../console/build.ts';

export default async function setup() {
  await buildConsole();
}
