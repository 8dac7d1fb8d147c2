export async function startDiscord(_app: unknown): Promise<{ name: string; stop(): Promise<void> }> { throw new Error('not yet'); }
