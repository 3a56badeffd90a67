import { useState } from 'preact/hooks';
import { ActionStatus, useConfirm } from '../components.js';
import { useApp } from '../context.js';
import { useAction } from '../hooks.js';
import { identProblem } from '../pages/devices.js';
import { navigate } from '../router.js';
import type { Device, DeviceUpdate } from '../types.js';

/** Edit a device, swap its hardware (new ident, same id and history), or delete it. */
export function ConfigureTab(p: { device: Device; onChanged(): void }) {
  const { api, deviceTypes } = useApp();
  const d = p.device;
  const [name, setName] = useState(d.name);
  const [typeId, setTypeId] = useState(d.device_type_id === null ? '' : String(d.device_type_id));
  const [ttlDays, setTtlDays] = useState(String(Math.round((d.messages_ttl / 86400) * 100) / 100));
  const [enabled, setEnabled] = useState(d.enabled);
  const [metadata, setMetadata] = useState(JSON.stringify(d.metadata ?? {}, null, 1));
  const [newIdent, setNewIdent] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [swapProblem, setSwapProblem] = useState<string | undefined>();
  const save = useAction();
  const swap = useAction();
  const remove = useAction();
  const [ask, dialog] = useConfirm();
  const base = `/gw/devices/${d.id}`;

  const submit = async (e: Event) => {
    e.preventDefault();
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(metadata || '{}') as Record<string, unknown>;
      if (!meta || typeof meta !== 'object' || Array.isArray(meta)) throw new Error('not an object');
    } catch {
      return setProblem('Metadata must be a JSON object.');
    }
    const ttl = Math.round(Number(ttlDays) * 86400);
    if (!name.trim()) return setProblem('Name is required.');
    if (!Number.isFinite(ttl) || ttl < 60) return setProblem('Message retention must be at least 60 s.');
    setProblem(undefined);
    const body: DeviceUpdate = { name: name.trim(), device_type_id: typeId ? Number(typeId) : null, messages_ttl: ttl, enabled, metadata: meta };
    const ok = await save.run(async () => {
      await api.put(base, body);
      return 'Saved.';
    });
    if (ok) p.onChanged();
  };
  const doSwap = async (e: Event) => {
    e.preventDefault();
    const ident = newIdent.trim();
    const bad = identProblem(ident) ?? (ident === d.configuration.ident ? 'That is already the ident.' : undefined);
    setSwapProblem(bad);
    if (bad) return;
    const yes = await ask({
      title: 'Swap the hardware?',
      body: (
        <p>
          Device <strong>{d.name}</strong> will answer to ident <code>{ident}</code> instead of <code>{d.configuration.ident}</code>. Its id, history, telemetry, settings and stream subscriptions stay; the old tracker is no longer recognised.
        </p>
      ),
      confirm: `Swap to ${ident}`,
    });
    if (!yes) return;
    const ok = await swap.run(async () => {
      await api.put(base, { configuration: { ident } } satisfies DeviceUpdate);
      return `Hardware swapped: the device now has ident ${ident}.`;
    });
    if (ok) {
      setNewIdent('');
      p.onChanged();
    }
  };
  const doDelete = async () => {
    const yes = await ask({
      title: 'Delete the device?',
      body: (
        <p>
          <strong>{d.name}</strong> ({d.configuration.ident}) is deleted with its message history and telemetry. This cannot be undone.
        </p>
      ),
      confirm: 'Delete device',
      danger: true,
    });
    if (!yes) return;
    if (await remove.run(async () => void (await api.del(base)))) navigate({ page: 'devices' });
  };

  return (
    <div class="grid-2">
      <form class="card" onSubmit={submit} aria-labelledby="edit-title" noValidate>
        <h2 id="edit-title">Edit</h2>
        <div class="field">
          <label for="edit-name">Name</label>
          <input id="edit-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="edit-type">Device type</label>
          <select id="edit-type" value={typeId} onChange={(e) => setTypeId(e.currentTarget.value)}>
            <option value="">— detect from the protocol —</option>
            {deviceTypes.map((t) => (
              <option value={String(t.id)}>{t.name}</option>
            ))}
          </select>
        </div>
        <div class="field narrow">
          <label for="edit-ttl">Keep messages (days)</label>
          <input id="edit-ttl" type="number" min={0.001} step="any" value={ttlDays} onInput={(e) => setTtlDays(e.currentTarget.value)} />
        </div>
        <div class="field field-check">
          <input id="edit-enabled" type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <label for="edit-enabled">Enabled</label>
        </div>
        <div class="field">
          <label for="edit-metadata">Metadata (JSON object)</label>
          <textarea id="edit-metadata" rows={3} spellcheck={false} value={metadata} onInput={(e) => setMetadata(e.currentTarget.value)} />
        </div>
        {problem ? (
          <div class="notice notice-error" role="alert">
            {problem}
          </div>
        ) : null}
        <ActionStatus action={save} />
        <div class="actions">
          <button type="submit" class="primary" disabled={save.busy}>
            Save changes
          </button>
        </div>
      </form>
      <div>
        <form class="card" onSubmit={doSwap} aria-labelledby="swap-title" noValidate>
          <h2 id="swap-title">Hardware swap</h2>
          <p class="muted small">
            Replace the tracker: current ident <code>{d.configuration.ident}</code>.
          </p>
          <div class="field">
            <label for="swap-ident">New ident</label>
            <input id="swap-ident" class="mono" value={newIdent} autocomplete="off" spellcheck={false} onInput={(e) => setNewIdent(e.currentTarget.value)} />
          </div>
          {swapProblem ? (
            <div class="notice notice-error" role="alert">
              {swapProblem}
            </div>
          ) : null}
          <ActionStatus action={swap} />
          <div class="actions">
            <button type="submit" disabled={swap.busy}>
              Swap hardware…
            </button>
          </div>
        </form>
        <div class="card danger-zone">
          <h2>Delete</h2>
          <p class="muted small">Removes the device with its history and telemetry.</p>
          <ActionStatus action={remove} />
          <button type="button" class="danger" onClick={doDelete} disabled={remove.busy}>
            Delete device…
          </button>
        </div>
      </div>
      {dialog}
    </div>
  );
}
