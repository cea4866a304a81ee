/**
 * The one Content-Security-Policy of the app's pages, sent by both hosts: the Electron window (index.ts) and the
 * browser-mode server (server.ts). They differ only in what the page may connect to. The build also writes it into
 * index.html's meta tag (`meta`: without frame-ancestors, which a meta policy may not carry), so a page opened
 * without either host's header keeps it.
 */
export function contentSecurityPolicy(connectSrc: readonly string[] = [], { meta = false } = {}): string {
  const directives = [
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    ["connect-src 'self'", ...connectSrc].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ];
  return (meta ? directives.filter((d) => !d.startsWith('frame-ancestors')) : directives).join('; ');
}
