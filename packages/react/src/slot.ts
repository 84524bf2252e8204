// <BeckonSlot name>: where inline messages go. `<beckon-message>` fills the `<beckon-slot>` it renders; with `render`
// the app's own component draws the headless inline messages for this slot inside it.
import { createElement, type ReactNode } from 'react';
import { useMessages } from './hooks.js';
import { renderAll, type RenderMessage } from './messages.js';

/**
 * The names of your slots, to have `<BeckonSlot name>` checked: declare them once and a misspelt name is a type
 * error. Without any, every string is accepted.
 *
 * ```ts
 * declare module '@beckon/react' {
 *   interface BeckonSlotNames { 'pricing-footer': true; 'product-offer': true }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface BeckonSlotNames {}

/** A slot's name: one of `BeckonSlotNames` once declared, else any string. */
export type SlotName = [keyof BeckonSlotNames] extends [never] ? string : Extract<keyof BeckonSlotNames, string>;

/** Props of `<BeckonSlot>`. */
export interface BeckonSlotProps {
  /** The slot's name, as messages name it in `layout.slot`. */
  name: SlotName;
  /** Draws this slot's headless inline messages with your component (when Beckon hands inline messages to the app). */
  render?: RenderMessage;
  className?: string;
}

/** A named place for inline messages (`layout: { type: 'inline', slot: name }`): a `<beckon-slot>` element. */
export function BeckonSlot({ name, render, className }: BeckonSlotProps): ReactNode {
  const inline = useMessages({ layout: 'inline' });
  const mine = render ? inline.filter((m) => m.layout.type === 'inline' && m.layout.slot === name) : [];
  return createElement('beckon-slot', { name, class: className }, render ? renderAll(mine, render) : undefined);
}
