/** The Node client of the browser-mode socket (in src-main, where bench uses it too). */
export { connect, type ApiSocketClient as TestClient } from '../../src-main/api-socket-client';
