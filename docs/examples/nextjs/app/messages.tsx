'use client';
// The app's own rendering of modals, and a sign-in button that identifies the visitor.
import { BeckonMessages, useBeckon } from '@beckon/react';

export function Messages() {
  const beckon = useBeckon();
  return (
    <>
      <button onClick={() => beckon.identify('ada@example.com')}>Sign in</button>
      <BeckonMessages
        layout="modal"
        render={(message) => (
          <dialog open data-message={message.id}>
            <h2>{message.content.title}</h2>
            <button onClick={() => message.dismiss('close-button')}>Close</button>
          </dialog>
        )}
      />
    </>
  );
}
