// The browser: Beckon from @beckon/web (page and SPA tracking, storage, <beckon-message>), with a feed for the
// messages the app draws itself.
import { isSafeUrl } from '@beckon/elements';
import { createBeckon, type Beckon, type BeckonOptions } from '@beckon/web';
import { createFeed, type MessageFeed } from './feed.js';
import { createProvider } from './provider.js';

/** Options of `createBeckonClient` and `<BeckonProvider options>`: `@beckon/web`'s, without `onMessage` (the hooks draw). */
export type BeckonClientOptions = Omit<BeckonOptions, 'onMessage'>;

/** Beckon in the browser for React: `@beckon/web`'s instance, and the messages your components draw. */
export interface WebBeckonClient extends Beckon {
  readonly messages: MessageFeed;
}

/**
 * Starts Beckon in this page for React (as `createBeckon` does), handing the messages of the layouts `render`
 * leaves to the app to `useMessages` and `<BeckonMessages>`. For `<BeckonProvider client>`; the provider's `options`
 * call it for you. Call it in the browser (on the server it returns an instance that does nothing).
 */
export function createBeckonClient(options: BeckonClientOptions = {}): WebBeckonClient {
  // The rule <beckon-message> follows for action URLs, so headless actions report what it reports.
  const messages = createFeed(isSafeUrl);
  return Object.assign(createBeckon({ ...options, onMessage: messages.onMessage }), { messages });
}

/**
 * Starts Beckon for its tree, once, in the browser: `options` (those of `@beckon/web`'s `createBeckon`) or a
 * `client` started elsewhere. Renders its children as they are; on the server Beckon does not start.
 */
export const BeckonProvider = createProvider(createBeckonClient);
