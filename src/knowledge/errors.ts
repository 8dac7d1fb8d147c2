/** A knowledge file that does not validate: names the file, the record and the reason. */
export class KnowledgeError extends Error {
  readonly code = 'KNOWLEDGE_INVALID';
  constructor(
    readonly file: string,
    readonly record: string,
    readonly reason: string,
  ) {
    super(`${file} › ${record}: ${reason}`);
    this.name = 'KnowledgeError';
  }
}
