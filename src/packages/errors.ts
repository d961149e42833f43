/**
 * Why a build failed, as the API shows it. Build errors are data (stored on the hook version and
 * shown by the API), told apart by `code`, never by class names.
 */
export const BUILD_ERROR_CODES = [
  'PACKAGE_NOT_FOUND',
  'VERSION_NOT_FOUND',
  'PACKAGE_NOT_ALLOWED',
  'BUNDLE_TOO_LARGE',
  'NATIVE_MODULE',
  'INVALID_SPECIFIER',
  'VERSION_CONFLICT',
  'INTEGRITY_MISMATCH',
  'REGISTRY_UNAVAILABLE',
  'BUNDLE_FAILED',
] as const;

export type BuildErrorCode = (typeof BUILD_ERROR_CODES)[number];

export interface BuildErrorInfo {
  code: BuildErrorCode;
  message: string;
  /** The package concerned, when there is one (`name` or `name@range`). */
  package: string | null;
}

export class PackageBuildError extends Error {
  constructor(
    readonly code: BuildErrorCode,
    message: string,
    readonly packageName: string | null = null,
  ) {
    super(message);
    this.name = 'PackageBuildError';
  }

  toInfo(): BuildErrorInfo {
    return { code: this.code, message: this.message, package: this.packageName };
  }
}

/** Any failure of a build as its stored error: typed ones as they are, others as BUNDLE_FAILED. */
export function buildErrorInfo(error: unknown): BuildErrorInfo {
  if (error instanceof PackageBuildError) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'BUNDLE_FAILED', message: `The packages could not be built: ${message.slice(0, 2000)}`, package: null };
}
