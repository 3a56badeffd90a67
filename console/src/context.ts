import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api } from './api.js';
import type { ConsoleConfig } from './config.js';
import type { DeviceType } from './types.js';

export interface AppContext {
  readonly api: Api;
  readonly config: ConsoleConfig;
  setConfig(c: ConsoleConfig): void;
  /** Device types of every protocol (empty when the token may not read them). */
  readonly deviceTypes: readonly DeviceType[];
}

export const App = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const ctx = useContext(App);
  if (!ctx) throw new Error('useApp outside <App.Provider>');
  return ctx;
}
