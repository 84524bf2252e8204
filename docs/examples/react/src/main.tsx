// The app's entry: StrictMode, React Router, and Beckon started once for the whole tree.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { BeckonProvider } from '@beckon/react';
import { App } from './App.js';
import './beckon-slots.js';

// Modals and banners are drawn by the app's own components (src/ui.tsx); inline cards by <beckon-message> in
// <BeckonSlot>. `?renderer=beckon` lets <beckon-message> draw everything, to compare the two.
const beckonDrawsAll = new URLSearchParams(location.search).get('renderer') === 'beckon';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BeckonProvider options={{ endpoint: location.origin, writeKey: 'wk_example', render: beckonDrawsAll || ['inline'] }}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </BeckonProvider>
  </StrictMode>,
);
