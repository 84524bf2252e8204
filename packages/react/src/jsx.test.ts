// The JSX types: <beckon-message>, <beckon-slot> and <BeckonSlot name> type-check (and misuse does not) with the
// types of React 19 and of React 18.3, each compiled by TypeScript with the automatic JSX runtime.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const here = fileURLToPath(new URL('.', import.meta.url));
const TYPES = {
  '19': fileURLToPath(new URL('../node_modules/@types/react', import.meta.url)),
  '18': fileURLToPath(new URL('../test/react18/node_modules/@types/react', import.meta.url)),
};

/** A component as a React user writes it; each `@ts-expect-error` must meet an error, or that is one. */
const FIXTURE = `
import { useRef } from 'react';
import type { BeckonMessage } from '@beckon/elements';
import type { Message } from '@beckon/rules';
import { BeckonSlot } from './index.js';

declare module './index.js' {
  interface BeckonSlotNames { 'pricing-footer': true; 'product-offer': true }
}

const message: Message = { id: 'hi', layout: { type: 'banner' }, content: { title: 'Hi' } };

export function Page() {
  const ref = useRef<BeckonMessage>(null);
  return (
    <main>
      <beckon-slot name="pricing-footer" class="slot" />
      <beckon-message ref={ref} message={message} open close-label="Schließen" />
      <BeckonSlot name="product-offer" />
      {/* @ts-expect-error: a slot needs its name */}
      <beckon-slot />
      {/* @ts-expect-error: message is a Message */}
      <beckon-message message={42} />
      {/* @ts-expect-error: not one of the declared slot names */}
      <BeckonSlot name="pricing-fotter" />
    </main>
  );
}
`;

function check(types: string): string[] {
  const fixture = `${here}jsx-fixture.tsx`;
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    jsx: ts.JsxEmit.ReactJSX,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    experimentalDecorators: true,
    useDefineForClassFields: false,
    types: [],
    customConditions: ['source'],
    baseUrl: here,
    paths: { react: [`${types}/index.d.ts`], 'react/jsx-runtime': [`${types}/jsx-runtime.d.ts`] },
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => file === fixture || fileExists(file);
  host.readFile = (file) => (file === fixture ? FIXTURE : readFile(file));
  host.getSourceFile = (file, language, ...rest) => (file === fixture ? ts.createSourceFile(file, FIXTURE, language) : getSourceFile(file, language, ...rest));
  const program = ts.createProgram([fixture], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName.replace(here, '') ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('JSX types', () => {
  it.each(Object.entries(TYPES))('type-check with @types/react %s, and misuse is an error', (_, types) => {
    expect(check(types)).toEqual([]);
    // (A whole program with the packages' sources: tens of seconds on a busy machine.)
  }, 120_000);
});
