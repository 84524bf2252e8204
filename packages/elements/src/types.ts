// The message model, as @beckon/rules defines it. Types only: no rules code reaches the elements bundle.
export type { Action, ActionStyle, Content, Layout, LayoutType, Message } from '@beckon/rules';
