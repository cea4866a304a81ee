/**
 * The one Content-Security-Policy of the app's pages, sent by both hosts: the Electron window (index.ts) and the
 * browser-mode server (server.ts). They differ only in what the page may connect to.
 */
export function contentSecurityPolicy(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
