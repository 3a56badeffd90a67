import { useState } from 'preact/hooks';
import { Notice } from '../components.js';
import { useApp } from '../context.js';

/** Console preferences (this browser only): map tiles and live-update mode. */
export function PreferencesPage() {
  const { config, setConfig } = useApp();
  const [tilesUrl, setTilesUrl] = useState(config.tilesUrl);
  const [attribution, setAttribution] = useState(config.tilesAttribution);
  const [live, setLive] = useState(config.live);
  const [pollS, setPollS] = useState(String(config.pollMs / 1000));
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const submit = (e: Event) => {
    e.preventDefault();
    const url = tilesUrl.trim();
    if (url && !(/^https?:\/\//.test(url) && url.includes('{z}') && url.includes('{x}') && url.includes('{y}'))) return setProblem('The tile URL must start with http(s):// and contain {z}, {x} and {y}.');
    const poll = Number(pollS);
    if (!(poll >= 0.25 && poll <= 60)) return setProblem('The polling period must be between 0.25 and 60 s.');
    setProblem(undefined);
    setConfig({ ...config, tilesUrl: url, tilesAttribution: attribution.trim(), live, pollMs: Math.round(poll * 1000) });
    setSaved(true);
  };
  return (
    <section aria-labelledby="prefs-title">
      <h1 id="prefs-title">Preferences</h1>
      <form class="card" onSubmit={submit} noValidate onInput={() => setSaved(false)}>
        <h2>Map</h2>
        <div class="field">
          <label for="pref-tiles">Tile URL template</label>
          <input id="pref-tiles" type="url" value={tilesUrl} placeholder="https://tile.example.org/{z}/{x}/{y}.png" onInput={(e) => setTilesUrl(e.currentTarget.value)} aria-describedby="pref-tiles-hint" />
          <small class="hint" id="pref-tiles-hint">
            Empty: tracks are drawn on a plain background (no network needed). Use a tile server you are allowed to use.
          </small>
        </div>
        <div class="field">
          <label for="pref-attribution">Tile attribution</label>
          <input id="pref-attribution" value={attribution} onInput={(e) => setAttribution(e.currentTarget.value)} />
        </div>
        <h2>Live messages</h2>
        <div class="field">
          <label for="pref-live">Updates</label>
          <select id="pref-live" value={live} onChange={(e) => setLive(e.currentTarget.value as typeof live)}>
            <option value="auto">Push (Server-Sent Events) when the hub offers it, else polling</option>
            <option value="poll">Polling only</option>
          </select>
        </div>
        <div class="field narrow">
          <label for="pref-poll">Polling period (s)</label>
          <input id="pref-poll" type="number" min={0.25} max={60} step="any" value={pollS} onInput={(e) => setPollS(e.currentTarget.value)} />
        </div>
        {problem ? <Notice kind="error">{problem}</Notice> : null}
        {saved ? <Notice kind="ok">Saved in this browser.</Notice> : null}
        <div class="actions">
          <button type="submit" class="primary">
            Save preferences
          </button>
        </div>
      </form>
    </section>
  );
}
