// Which message ids the metrics list. The write key is public in browsers, so anyone can send a
// `Message Shown` for any `message_id`: the metrics and the dashboard list only ids a catalog could hold
// (a-z, 0-9, `_` and `-`, at most 64 characters). Ledgers never record other ids either.
import { MESSAGE_ID } from '@beckon/rules';
import type { MessageMetrics } from '@beckon/tracking';

/**
 * The metrics to list: messages whose id a catalog could hold (the current catalog's, and those seen before
 * under such an id); events naming any other id are stored, and counted nowhere.
 */
export function listedMetrics(metrics: MessageMetrics[]): MessageMetrics[] {
  return metrics.filter((m) => MESSAGE_ID.test(m.messageId));
}
