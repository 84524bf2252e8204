// JSX types for Beckon's custom elements, so `<beckon-message>` and `<beckon-slot>` autocomplete in plain React too
// (React 18.3 and 19: both read `React.JSX`).
import type { BeckonMessage, BeckonSlot } from '@beckon/elements';
import type { Message } from '@beckon/rules/runtime';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

/** Props of `<beckon-message>` in JSX. */
export interface BeckonMessageJsxProps extends DetailedHTMLProps<HTMLAttributes<BeckonMessage>, BeckonMessage> {
  /**
   * The message to show. React 19 sets it as the element's property; React 18 sets attributes only, so there set
   * `element.message` through a `ref` instead.
   */
  message?: Message;
  /** Whether the message is showing (default true); false closes it quietly. */
  open?: boolean;
  /** Accessible name of the close button (default "Close"). */
  'close-label'?: string;
  class?: string;
}

/** Props of `<beckon-slot>` in JSX. */
export interface BeckonSlotJsxProps extends DetailedHTMLProps<HTMLAttributes<BeckonSlot>, BeckonSlot> {
  /** The name inline messages refer to with `layout.slot`. */
  name: string;
  class?: string;
}

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'beckon-message': BeckonMessageJsxProps;
      'beckon-slot': BeckonSlotJsxProps;
    }
  }
}
