import type { ChannelContext, LiveSession, Session } from './session.js';

/**
 * Identified sessions by ident, over every channel of a listener (TCP connections and UDP
 * sessions): where the command dispatcher finds a device. A device may hold several (a reconnect
 * before the old connection timed out); the newest is last.
 */
export class SessionIndex {
  private readonly byIdent = new Map<string, LiveSession[]>();
  private readonly indexed = new WeakMap<Session, string>();

  of(ident: string): LiveSession[] {
    return this.byIdent.get(ident) ?? [];
  }

  all(): ReadonlyMap<string, LiveSession[]> {
    return this.byIdent;
  }

  /** Indexes a session under its current ident (moving it when the ident changed). */
  add(session: Session, ctx: ChannelContext): void {
    this.remove(session);
    const ident = session.state.ident;
    if (ident === undefined) return;
    this.indexed.set(session, ident);
    const list = this.byIdent.get(ident);
    if (list) list.push({ session, ctx });
    else this.byIdent.set(ident, [{ session, ctx }]);
  }

  remove(session: Session): void {
    const ident = this.indexed.get(session);
    if (ident === undefined) return;
    this.indexed.delete(session);
    const list = this.byIdent.get(ident);
    if (!list) return;
    const rest = list.filter((l) => l.session !== session);
    if (rest.length === 0) this.byIdent.delete(ident);
    else this.byIdent.set(ident, rest);
  }
}
