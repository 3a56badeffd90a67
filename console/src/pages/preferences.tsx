import { useState } from 'preact/hooks';
import { ErrorNote, Notice, PageSection } from '../components.js';
import { OSM_TILES } from '../config.js';
import { useApp } from '../context.js';
import { Form, InputField, SelectField } from '../fields.js';

/** Console preferences (this browser only): map tiles and live-update mode. */
export function PreferencesPage() {
  const { config, setConfig } = useApp();
  const [tilesUrl, setTilesUrl] = useState(config.tilesUrl);
  const [attribution, setAttribution] = useState(config.tilesAttribution);
  const [live, setLive] = useState(config.live);
  const [pollS, setPollS] = useState(String(config.pollMs / 1000));
  const [saved, setSaved] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const submit = () => {
    const url = tilesUrl.trim();
    if (url && !(/^https?:\/\//.test(url) && url.includes('{z}') && url.includes('{x}') && url.includes('{y}')))
      return setProblem('The tile URL must start with http(s):// and contain {z}, {x} and {y}.');
    const poll = Number(pollS);
    if (!(poll >= 0.25 && poll <= 60)) return setProblem('The polling period must be between 0.25 and 60 s.');
    setProblem(undefined);
    setConfig({ ...config, tilesUrl: url, tilesAttribution: attribution.trim(), live, pollMs: Math.round(poll * 1000) });
    setSaved(true);
  };
  return (
    <PageSection id="prefs" title="Preferences">
      <Form class="card" onSubmit={submit} onInput={() => setSaved(false)}>
        <h2>Map</h2>
        <InputField
          id="pref-tiles"
          label="Tile URL template"
          type="url"
          value={tilesUrl}
          placeholder={OSM_TILES}
          onValue={setTilesUrl}
          hint="Default: the deployment's tiles, else OpenStreetMap's standard tiles. Empty: tracks are drawn on a grid (no network needed). Use a tile server you are allowed to use."
        />
        <InputField
          id="pref-attribution"
          label="Tile attribution"
          value={attribution}
          onValue={setAttribution}
          hint="HTML shown on the map; empty: OpenStreetMap's for its tiles."
        />
        <h2>Live messages</h2>
        <SelectField id="pref-live" label="Updates" value={live} onValue={(v) => setLive(v as typeof live)}>
          <option value="auto">Push (WebSocket) when the hub offers it, else polling</option>
          <option value="poll">Polling only</option>
        </SelectField>
        <InputField id="pref-poll" label="Polling period (s)" width="narrow" type="number" min={0.25} max={60} step="any" value={pollS} onValue={setPollS} />
        <ErrorNote>{problem}</ErrorNote>
        {saved ? <Notice kind="ok">Saved in this browser.</Notice> : null}
        <div class="actions">
          <button type="submit" class="primary">
            Save preferences
          </button>
        </div>
      </Form>
    </PageSection>
  );
}
