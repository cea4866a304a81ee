/**
 * The last line of "main never dies": an exception or rejection that escaped every handler is logged, and the
 * process goes on serving. Each handler of a worker event, timer or socket message is guarded on its own; this
 * only catches what slipped through (a bug), so one request or one job cannot take the app down with it.
 */
let installed = false;

export function installProcessGuard(log: (message: string, error: unknown) => void = (m, e) => console.error(m, e)): void {
  if (installed) return;
  installed = true;
  process.on('uncaughtException', (e) => log('K-means Explorer: an uncaught exception was caught (the app goes on):', e));
  process.on('unhandledRejection', (e) => log('K-means Explorer: an unhandled rejection was caught (the app goes on):', e));
}
