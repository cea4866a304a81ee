/** App-wide state: host info, start-up progress (MNIST import), connection, and messages for the user. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { AppInfo, StartupProgress } from '../../src-shared/api';
import { api, onConnectionState, type ConnectionState } from '../api';

export interface Toast {
  id: number;
  kind: 'error' | 'info' | 'ok';
  title: string;
  message?: string;
}

export const useApp = defineStore('app', () => {
  const info = ref<AppInfo | null>(null);
  const startup = ref<StartupProgress | null>(null);
  const connection = ref<ConnectionState>('connecting');
  const toasts = ref<Toast[]>([]);
  let nextToast = 1;

  function toast(kind: Toast['kind'], title: string, message?: string, ms = kind === 'error' ? 9000 : 4000): void {
    const id = nextToast++;
    toasts.value.push({ id, kind, title, message });
    if (ms > 0) setTimeout(() => dismiss(id), ms);
  }
  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id);
  }

  async function init(): Promise<void> {
    onConnectionState((s) => (connection.value = s));
    api().on('app/startup', (p) => (startup.value = p));
    const r = await api()['app/info']({});
    if (r.ok) {
      info.value = r.data;
      startup.value = r.data.startup;
    } else toast('error', 'Could not reach the app', r.message);
  }

  return { info, startup, connection, toasts, toast, dismiss, init };
});
