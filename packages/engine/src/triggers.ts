// The trigger waiter of hosts without a page to scroll or leave: delays only.
import type { TriggerWaiter } from './types.js';

/**
 * Fires after the trigger's `delay` (at once without one); a trigger that also needs a scroll depth or exit intent
 * never fires, as neither happens without a page. The default of `createEngine`; browsers use their own.
 */
export const delayTrigger: TriggerWaiter = ({ delay, scrollPercent, exitIntent }, signal, fire) => {
  if (scrollPercent || exitIntent) return;
  if (!delay) return fire();
  const timer = setTimeout(fire, delay);
  // A signal aborts once: its listeners need no `once`.
  signal.addEventListener('abort', () => clearTimeout(timer));
};
