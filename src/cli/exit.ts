/**
 * Ends the process with this code once stdout and stderr are written: naturally when nothing is
 * left running, else after a short grace (a pipe on some systems is written asynchronously, and
 * process.exit would cut it).
 */
export function exitWith(code: number) {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 1000).unref();
}
