// @beckon/elements: the classes and helpers. Importing this touches no DOM; import
// '@beckon/elements/define' in the browser to register the tags.
export { BeckonMessage } from './message.component.js';
export { BeckonSlot } from './slot.component.js';
export { findInlineHost } from './inline-host.js';
export { isSafeUrl } from './url.js';
export { parseBody, type BodyNode } from './markup.js';
export type { BeckonActionDetail, BeckonDismissDetail, BeckonShownDetail, DismissVia } from './events.js';
