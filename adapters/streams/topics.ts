/** Topic templates (`%ident%`, `%device.id%`, `%device.name%`, `%channel.id%`) for MQTT and AWS IoT. */

import { expandTemplate } from '../../core/streams/types.js';
import type { Message } from '../../protocols/common/types.js';

export const TEMPLATE_VARS = ['ident', 'device.id', 'device.name', 'channel.id'] as const;
const VAR = /%(ident|device\.id|device\.name|channel\.id)%/g;

/**
 * The topic for one message. Values cannot inject wildcards: `+`, `#` and NUL in a substituted value
 * become `_` (a `/` in a device name stays and adds levels, as the user named it).
 */
export function expandTopic(template: string, m: Message): string {
  const safe: Message = {};
  for (const key of TEMPLATE_VARS) {
    const v = m[key];
    if (v !== undefined && v !== null) safe[key] = String(v).replace(/[+#\0]/g, '_');
  }
  return expandTemplate(template, safe);
}

/** The subscription filter: every level holding a variable becomes `+` (`telematics/%ident%/commands` → `telematics/+/commands`). */
export function subscriptionFilter(template: string): string {
  return template
    .split('/')
    .map((level) => (new RegExp(VAR.source).test(level) ? '+' : level))
    .join('/');
}

/** The ident in a topic that matched `subscriptionFilter(template)`; undefined when the template has no `%ident%` or the topic does not fit. */
export function identFromTopic(template: string, topic: string): string | undefined {
  const tLevels = template.split('/');
  const levels = topic.split('/');
  if (tLevels.length !== levels.length) return undefined;
  let ident: string | undefined;
  for (let i = 0; i < tLevels.length; i++) {
    const re = levelPattern(tLevels[i]);
    const match = re.exec(levels[i]);
    if (!match) return undefined;
    if (match.groups?.ident !== undefined) ident = match.groups.ident;
  }
  return ident ? ident : undefined;
}

/** One template level as an anchored pattern; `%ident%` is captured, the other variables match anything. */
function levelPattern(level: string): RegExp {
  let src = '';
  let last = 0;
  let identSeen = false;
  for (const m of level.matchAll(VAR)) {
    src += escapeRe(level.slice(last, m.index));
    src += m[1] === 'ident' && !identSeen ? '(?<ident>.+?)' : '.*?';
    if (m[1] === 'ident') identSeen = true;
    last = (m.index ?? 0) + m[0].length;
  }
  src += escapeRe(level.slice(last));
  return new RegExp(`^${src}$`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Slashes in a topic (AWS IoT allows at most 7). */
export function slashCount(topic: string): number {
  return topic.split('/').length - 1;
}
