/**
 * The export could not be fetched or read: the folder is missing, the server refused, the file is too
 * large or of no known format. Its message is Swedish and says what was wrong; the sync job logs it,
 * `arendebot sync` prints it, and nothing is imported.
 */
export class SyncSourceError extends Error {
  readonly code = "sync.source_unreadable";
  override name = "SyncSourceError";
}
