'use client';
// @beckon/react: Beckon for React in the browser. A provider, hooks, slots and headless rendering over @beckon/web.
// React Native: `@beckon/react/native`. 'use client': server components (the Next.js App Router) may render
// <BeckonSlot> and <BeckonMessages>, and their hooks run in the browser.
export { BeckonProvider, createBeckonClient, type BeckonClientOptions, type WebBeckonClient } from './web.js';
export { useBeckon, useMessages, useScreen, type UseMessagesOptions } from './hooks.js';
export { BeckonMessages, type BeckonMessagesProps, type RenderMessage } from './messages.js';
export { BeckonSlot, type BeckonSlotNames, type BeckonSlotProps, type SlotName } from './slot.js';
export type { BeckonProviderProps } from './provider.js';
export type { BeckonApi, BeckonClient } from './api.js';
export type { HeadlessMessage, MessageFeed } from './feed.js';
export type { BeckonMessageJsxProps, BeckonSlotJsxProps } from './jsx.js';
export type { Explanation, ExplainOverrides } from '@beckon/engine';
