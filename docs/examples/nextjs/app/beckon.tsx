'use client';
// Beckon runs in the browser: the provider is a client component. It renders its children on the server as they
// are, and starts Beckon after hydration; the App Router's navigations are followed by Beckon itself.
import type { ReactNode } from 'react';
import { BeckonProvider } from '@beckon/react';

export function Beckon({ children }: { children: ReactNode }) {
  return <BeckonProvider options={{ endpoint: process.env.NEXT_PUBLIC_BECKON_URL, render: ['inline'] }}>{children}</BeckonProvider>;
}
