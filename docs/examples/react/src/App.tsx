// Two routes and a sign-up form. Beckon follows the navigation by itself; the app only identifies the visitor.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, Route, Routes, useNavigate } from 'react-router';
import { BeckonMessages, BeckonSlot, useBeckon } from '@beckon/react';
import { Banner, Dialog } from './ui.js';

export function App() {
  useActionLinks();
  return (
    <>
      <nav>
        <Link to="/">Home</Link> · <Link to="/signup">Sign up</Link>
      </nav>
      <main>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/signup" element={<SignUp />} />
        </Routes>
      </main>
      {/* Messages Beckon hands to the app: modals as the design system's dialog, banners as its banner. */}
      <BeckonMessages layout="modal" render={(message) => <Dialog message={message} />} />
      <BeckonMessages layout="banner" render={(message) => <Banner message={message} />} />
    </>
  );
}

function Home() {
  return (
    <>
      <h1>Shop</h1>
      <p>Everything a small shop sells.</p>
      <BeckonSlot name="home-card" />
    </>
  );
}

function SignUp() {
  const beckon = useBeckon();
  const [email, setEmail] = useState('');
  const [done, setDone] = useState(false);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Anonymous-only messages close at once; the visitor's history joins their profile on the server.
    beckon.identify(email, { email });
    setDone(true);
  };
  if (done) {
    return (
      <p className="welcome">
        Welcome, {email}! <Link to="/">Back to the shop</Link>
      </p>
    );
  }
  return (
    <form onSubmit={submit}>
      <h1>Create your account</h1>
      <label>
        Email <input type="email" name="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <button type="submit">Sign up</button>
    </form>
  );
}

/** Links in <beckon-message> actions go through the router: a single-page navigation, not a page load. */
function useActionLinks() {
  const navigate = useNavigate();
  useEffect(() => {
    const route = (event: CustomEvent<{ url?: string }>) => {
      const url = event.detail.url;
      if (!url?.startsWith('/')) return;
      event.preventDefault();
      navigate(url);
    };
    document.addEventListener('beckon-action', route);
    return () => document.removeEventListener('beckon-action', route);
  }, [navigate]);
}
