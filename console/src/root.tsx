import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api.js';
import { type ConsoleConfig, getConfig, savePrefs } from './config.js';
import { App } from './context.js';
import { Login } from './pages/login.js';
import { Shell } from './pages/shell.js';
import { clearSession, loadSession, type Session, saveSession } from './session.js';
import type { DeviceType } from './types.js';

/** Session and configuration; the login page until a token is accepted. */
export function Root() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [config, setConfigState] = useState<ConsoleConfig>(getConfig);
  const [notice, setNotice] = useState<string | undefined>();
  const [deviceTypes, setDeviceTypes] = useState<DeviceType[]>([]);
  const api = useMemo(
    () =>
      session
        ? new Api(session, (reason) => {
            clearSession();
            setSession(undefined);
            setNotice(`You were logged out: the hub refused the token (${reason}).`);
          })
        : undefined,
    [session],
  );
  useEffect(() => {
    if (!api) return;
    api.get<DeviceType>('/gw/protocols/all/device-types').then(setDeviceTypes, () => setDeviceTypes([]));
  }, [api]);
  if (!session || !api) {
    return (
      <Login
        defaultApiUrl={config.apiUrl}
        notice={notice}
        onLogin={(s) => {
          saveSession(s);
          setNotice(undefined);
          setSession(s);
        }}
      />
    );
  }
  const ctx = {
    api,
    config,
    deviceTypes,
    setConfig: (c: ConsoleConfig) => {
      savePrefs(c);
      setConfigState(getConfig());
    },
  };
  return (
    <App.Provider value={ctx}>
      <Shell
        onLogout={() => {
          clearSession();
          setSession(undefined);
          setNotice('Logged out. The token was removed from this tab.');
        }}
      />
    </App.Provider>
  );
}
