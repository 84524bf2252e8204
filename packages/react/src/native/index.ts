// @beckon/react/native: Beckon in React Native apps. The same provider and hooks as in the browser, over the engine
// (no DOM, no dependency on react-native): every message is drawn by the app's components, screens are named by it,
// and its history lives in AsyncStorage through `loadAsyncStorage`.
import { createProvider } from '../provider.js';
import { createNativeBeckon } from './client.js';

/** Starts Beckon for its tree, once: `options` (`createNativeBeckon`'s) or a `client` started elsewhere. */
export const BeckonProvider = createProvider(createNativeBeckon);

export { createNativeBeckon, type NativeBeckonClient, type NativeBeckonOptions } from './client.js';
export { loadAsyncStorage, type AsyncStorageLike, type LoadAsyncStorageOptions, type LoadedStore } from './async-storage.js';
export { isSafeActionUrl } from './safe-url.js';
export { useBeckon, useMessages, useScreen, type UseMessagesOptions } from '../hooks.js';
export { BeckonMessages, type BeckonMessagesProps, type RenderMessage } from '../messages.js';
export type { BeckonProviderProps } from '../provider.js';
export type { BeckonApi, BeckonClient } from '../api.js';
export type { HeadlessMessage, MessageFeed } from '../feed.js';
export type { Explanation, ExplainOverrides } from '@beckon/engine';
