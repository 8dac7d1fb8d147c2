export async function startSlack(_app: unknown): Promise<{ name: string; stop(): Promise<void> }> { throw new Error('not yet'); }
