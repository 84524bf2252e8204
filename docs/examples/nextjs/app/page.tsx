// A server-rendered page with an inline slot (the same markup on the server and in the browser) and client messages.
import { BeckonSlot } from '@beckon/react';
import { Messages } from './messages';

export default function Page() {
  return (
    <main>
      <h1>Shop</h1>
      <BeckonSlot name="home-card" />
      <Messages />
    </main>
  );
}
