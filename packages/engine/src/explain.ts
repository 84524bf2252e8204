// explain(): one line per message — would it show here, now, and if not, why — from an evaluation.
import type { Evaluation, PendingTrigger } from '@beckon/rules/runtime';
import type { Explanation } from './types.js';

/** The messages an evaluation shows (best first), then those it skipped with their reasons, then `invalid`. */
export function explainEvaluation({ show, skipped }: Evaluation, invalid: Explanation[]): Explanation[] {
  return [
    ...show.map(({ message, trigger }): Explanation => ({ id: message.id, show: true, detail: trigger ? `shows ${describeTrigger(trigger)}` : 'shows now', trigger, layout: message.layout.type })),
    ...skipped.map(({ message, reason, detail }): Explanation => ({ id: message.id, show: false, reason, detail, layout: message.layout.type })),
    ...invalid,
  ];
}

/** A trigger as words: `after 5000ms, once scrolled 50% down, then on exit intent`. */
export function describeTrigger({ delay, scrollPercent, exitIntent }: PendingTrigger): string {
  const parts = [delay && `after ${delay}ms`, scrollPercent && `once scrolled ${scrollPercent}% down`].filter(Boolean);
  if (exitIntent) parts.push(parts.length ? 'then on exit intent' : 'on exit intent');
  return parts.join(', ');
}
