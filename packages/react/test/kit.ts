// Rendering React in Node with no DOM, for @beckon/react's tests: react-test-renderer on a concurrent root (as
// React Native's tests render), under StrictMode unless asked not to, with every update inside act().
import { createElement, StrictMode, type ReactElement } from 'react';
import { act, create, type ReactTestRenderer, type TestRendererOptions } from 'react-test-renderer';

// What React Native's test environment sets: act() is expected, and react-test-renderer is not deprecated there.
Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: true, IS_REACT_NATIVE_TEST_ENVIRONMENT: true });

/** A rendered tree: `update` renders a new element in its place, `unmount` takes it away. */
export interface Rendered {
  root: ReactTestRenderer;
  update(element: ReactElement): Promise<void>;
  unmount(): Promise<void>;
}

const wrap = (element: ReactElement, strict: boolean) => (strict ? createElement(StrictMode, null, element) : element);

/** Renders `element` (in StrictMode by default, which mounts every effect twice) and waits for its effects. */
export async function render(element: ReactElement, { strict = true } = {}): Promise<Rendered> {
  let root!: ReactTestRenderer;
  await act(async () => {
    // (The option is missing from the types; both React 18's and 19's renderers read it.)
    root = create(wrap(element, strict), { unstable_isConcurrent: true } as unknown as TestRendererOptions);
  });
  return {
    root,
    update: (next) => act(async () => root.update(wrap(next, strict))),
    unmount: () => act(async () => root.unmount()),
  };
}

/** Runs `change` inside act(), so React applies the updates it causes before the test reads the tree. */
export function inAct(change: () => unknown): Promise<void> {
  return act(async () => {
    await change();
  });
}

/** Waits until `ok(read())`, inside act() so React renders meanwhile; fails after `timeout` ms naming `what`. */
export async function until<T>(read: () => T, ok: (value: T) => boolean, what: string, timeout = 5000): Promise<T> {
  const end = Date.now() + timeout;
  for (;;) {
    let value!: T;
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      value = read();
    });
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
  }
}
