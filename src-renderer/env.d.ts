/// <reference types="vite/client" />
import type { Api } from '../src-shared/api';

declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

declare global {
  interface Window {
    /** Exposed by the Electron preload; undefined in browser mode. */
    api?: Api;
  }
}
