import { useState } from 'preact/hooks';
import { ActionStatus, ConfirmButton, useConfirm } from '../components.js';
import { useApp } from '../context.js';
import { CheckField, Form, FormFooter, InputField, TextAreaField } from '../fields.js';
import { parseJsonObject } from '../format.js';
import { useAction, useAttempt } from '../hooks.js';
import { DeviceTypeField, identProblem } from '../pages/devices.js';
import { navigate } from '../router.js';
import type { Device, DeviceUpdate } from '../types.js';

type DeviceProps = { device: Device; onChanged(): void };

/** Edit a device, swap its hardware (new ident, same id and history), or delete it. */
export function ConfigureTab(p: DeviceProps) {
  return (
    <div class="grid-2">
      <EditForm device={p.device} onChanged={p.onChanged} />
      <div>
        <SwapForm device={p.device} onChanged={p.onChanged} />
        <DeleteCard device={p.device} />
      </div>
    </div>
  );
}

function EditForm(p: DeviceProps) {
  const { api } = useApp();
  const d = p.device;
  const [name, setName] = useState(d.name);
  const [typeId, setTypeId] = useState(d.device_type_id === null ? '' : String(d.device_type_id));
  const [ttlDays, setTtlDays] = useState(String(Math.round((d.messages_ttl / 86400) * 100) / 100));
  const [enabled, setEnabled] = useState(d.enabled);
  const [metadata, setMetadata] = useState(JSON.stringify(d.metadata ?? {}, null, 1));
  const save = useAttempt();
  const submit = async () => {
    save.forget();
    const meta = parseJsonObject(metadata || '{}');
    if (!meta) return save.setProblem('Metadata must be a JSON object.');
    const ttl = Math.round(Number(ttlDays) * 86400);
    if (!name.trim()) return save.setProblem('Name is required.');
    if (!Number.isFinite(ttl) || ttl < 60) return save.setProblem('Message retention must be at least 60 s.');
    const body: DeviceUpdate = { name: name.trim(), device_type_id: typeId ? Number(typeId) : null, messages_ttl: ttl, enabled, metadata: meta };
    const ok = await save.action.run(async () => {
      await api.put(`/gw/devices/${d.id}`, body);
      return 'Saved.';
    });
    if (ok) p.onChanged();
  };
  return (
    <Form class="card" onSubmit={submit} onInput={save.forget} heading="Edit" headingId="edit-title">
      <InputField id="edit-name" label="Name" value={name} onValue={setName} />
      <DeviceTypeField id="edit-type" value={typeId} onValue={setTypeId} />
      <InputField id="edit-ttl" label="Keep messages (days)" width="narrow" type="number" min={0.001} step="any" value={ttlDays} onValue={setTtlDays} />
      <CheckField id="edit-enabled" label="Enabled" checked={enabled} onChange={setEnabled} />
      <TextAreaField id="edit-metadata" label="Metadata (JSON object)" rows={3} value={metadata} onValue={setMetadata} />
      <FormFooter action={save.action} problem={save.problem} submit="Save changes" />
    </Form>
  );
}

function SwapForm(p: DeviceProps) {
  const { api } = useApp();
  const d = p.device;
  const [newIdent, setNewIdent] = useState('');
  const swap = useAttempt();
  const [ask, dialog] = useConfirm();
  const doSwap = async () => {
    swap.forget();
    const ident = newIdent.trim();
    const bad = identProblem(ident) ?? (ident === d.configuration.ident ? 'That is already the ident.' : undefined);
    if (bad) return swap.setProblem(bad);
    const yes = await ask({
      title: 'Swap the hardware?',
      body: (
        <p>
          Device <strong>{d.name}</strong> will answer to ident <code>{ident}</code> instead of <code>{d.configuration.ident}</code>. Its id, history,
          telemetry, settings and stream subscriptions stay; the old tracker is no longer recognised.
        </p>
      ),
      confirm: `Swap to ${ident}`,
    });
    if (!yes) return;
    const ok = await swap.action.run(async () => {
      await api.put(`/gw/devices/${d.id}`, { configuration: { ident } } satisfies DeviceUpdate);
      return `Hardware swapped: the device now has ident ${ident}.`;
    });
    if (ok) {
      setNewIdent('');
      p.onChanged();
    }
  };
  return (
    <>
      <Form class="card" onSubmit={doSwap} onInput={swap.forget} heading="Hardware swap" headingId="swap-title">
        <p class="muted small">
          Replace the tracker: current ident <code>{d.configuration.ident}</code>.
        </p>
        <InputField id="swap-ident" label="New ident" class="mono" value={newIdent} autocomplete="off" spellcheck={false} onValue={setNewIdent} />
        <FormFooter action={swap.action} problem={swap.problem} submit="Swap hardware…" primary={false} />
      </Form>
      {dialog}
    </>
  );
}

function DeleteCard(p: { device: Device }) {
  const { api } = useApp();
  const d = p.device;
  const remove = useAction();
  const doDelete = async () => {
    if (await remove.run(async () => void (await api.del(`/gw/devices/${d.id}`)))) navigate({ page: 'devices' });
  };
  return (
    <div class="card danger-zone">
      <h2>Delete</h2>
      <p class="muted small">Removes the device with its history and telemetry.</p>
      <ActionStatus action={remove} />
      <ConfirmButton
        class="danger"
        disabled={remove.busy}
        ask={{
          title: 'Delete the device?',
          body: (
            <p>
              <strong>{d.name}</strong> ({d.configuration.ident}) is deleted with its message history and telemetry. This cannot be undone.
            </p>
          ),
          confirm: 'Delete device',
          danger: true,
        }}
        onConfirm={doDelete}
      >
        Delete device…
      </ConfirmButton>
    </div>
  );
}
