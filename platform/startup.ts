import { createServer } from 'node:net';

/** A start-up failure with a message meant for the operator; printed without a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Refuses to start with one clear line when another process holds a port govflow needs. */
export async function assertPortFree(port: number, host: string, what: string, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const srv = createServer()
      .once('error', () => resolve(false))
      .listen(port, host, () => srv.close(() => resolve(true)));
  });
  if (!free) throw new StartupError(`Port ${port} on ${host} (${what}) is in use by another process; stop it, or set ${variable} to another port.`);
}
