// The root layout, a server component: it renders the client-side provider around every page.
import type { ReactNode } from 'react';
import { Beckon } from './beckon';

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Beckon>{children}</Beckon>
      </body>
    </html>
  );
}
