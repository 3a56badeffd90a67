import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from './api.js';
import { ago, fmtTime } from './format.js';

export function Notice(p: { kind?: 'info' | 'error' | 'ok' | 'warn'; children: ComponentChildren }) {
  const kind = p.kind ?? 'info';
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {p.children}
    </div>
  );
}

/** An error from the API, with a plain explanation for missing routes and ACL refusals. */
export function ErrorNotice(p: { error: unknown; feature?: string }) {
  if (p.error === undefined || p.error === null) return null;
  if (p.error instanceof ApiError && p.error.noRoute) {
    return (
      <Notice kind="warn">
        {p.feature ?? 'This feature'} is not available on this hub yet (<code>{p.error.message}</code>).
      </Notice>
    );
  }
  return <Notice kind="error">{describeError(p.error)}</Notice>;
}

export function ActionStatus(p: { action: { busy: boolean; error: unknown; message?: string }; feature?: string }) {
  if (p.action.error !== undefined) return <ErrorNotice error={p.action.error} feature={p.feature} />;
  if (p.action.message) return <Notice kind="ok">{p.action.message}</Notice>;
  return null;
}

export function Badge(p: { kind: string; children: ComponentChildren; title?: string }) {
  return (
    <span class={`badge badge-${p.kind}`} title={p.title}>
      {p.children}
    </span>
  );
}

export function Time(p: { ts: unknown }) {
  if (typeof p.ts !== 'number' || p.ts <= 0) return <span class="muted">—</span>;
  return (
    <time dateTime={new Date(p.ts * 1000).toISOString()} title={ago(p.ts)}>
      {fmtTime(p.ts)}
    </time>
  );
}

export function Ago(p: { ts: unknown }) {
  if (typeof p.ts !== 'number' || p.ts <= 0) return <span class="muted">never</span>;
  return (
    <time dateTime={new Date(p.ts * 1000).toISOString()} title={fmtTime(p.ts)}>
      {ago(p.ts)}
    </time>
  );
}

export interface ConfirmRequest {
  readonly title: string;
  readonly body: ComponentChildren;
  readonly confirm: string;
  readonly danger?: boolean;
}

/**
 * A modal confirmation on the native `<dialog>` (focus stays inside, Escape cancels).
 * `ask()` resolves true when confirmed.
 */
export function useConfirm(): [(r: ConfirmRequest) => Promise<boolean>, ComponentChildren] {
  const [req, setReq] = useState<(ConfirmRequest & { resolve(v: boolean): void }) | undefined>();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (req && d && !d.open) d.showModal();
  }, [req]);
  const close = (v: boolean) => {
    ref.current?.close();
    req?.resolve(v);
    setReq(undefined);
  };
  const ask = (r: ConfirmRequest) => new Promise<boolean>((resolve) => setReq({ ...r, resolve }));
  const node = req ? (
    <dialog
      ref={ref}
      class="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        close(false);
      }}
    >
      <h2 id="confirm-title">{req.title}</h2>
      <div class="confirm-body">{req.body}</div>
      <div class="actions">
        <button type="button" autofocus onClick={() => close(false)}>
          Cancel
        </button>
        <button type="button" class={req.danger ? 'danger' : 'primary'} onClick={() => close(true)}>
          {req.confirm}
        </button>
      </div>
    </dialog>
  ) : null;
  return [ask, node];
}

/** JSON shown collapsed in a `<details>` (keyboard: Enter/Space on the summary). */
export function JsonDetails(p: { summary: ComponentChildren; value: unknown; open?: boolean }) {
  return (
    <details class="json" open={p.open}>
      <summary>{p.summary}</summary>
      <pre>{JSON.stringify(p.value, null, 2)}</pre>
    </details>
  );
}
