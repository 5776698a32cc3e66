/**
 * A file of an export batch that cannot be read as a whole: wrong format for its name,
 * truncated, undecodable, missing or duplicate required headers, empty. The refresh
 * fails the run with this message and publishes nothing of it.
 */
export class ExportFileError extends Error {
  override name = 'ExportFileError';

  constructor(
    /** The file as the run reports it (its path relative to the inbox). */
    readonly file: string,
    /** What is wrong with it, in one line. */
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}
