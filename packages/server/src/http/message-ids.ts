// Which message ids the metrics list. The write key is public in browsers, so anyone can send a
// `Message Shown` for any `message_id`: only ids a catalog could hold (a-z, 0-9, `_` and `-`, at most 64
// characters) become message events when stored (storage/rows.ts), and the metrics list those alone.
import { MESSAGE_ID } from '@beckon/rules';
import type { MessageMetrics } from '@beckon/tracking';

/**
 * The metrics to list: messages whose id a catalog could hold (the current catalog's, and those seen before
 * under such an id). Rows stored before ids were checked at the collector, with other ids, are left out.
 */
export function listedMetrics(metrics: MessageMetrics[]): MessageMetrics[] {
  return metrics.filter((m) => MESSAGE_ID.test(m.messageId));
}
