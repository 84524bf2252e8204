// Single-page-app navigations, seen without the host app's help: history.pushState/replaceState are wrapped,
// popstate and hashchange listened to. Each change of URL is reported once.

/**
 * Calls `navigated` whenever the URL changes through `pushState`, `replaceState`, `popstate` or `hashchange`.
 * Returns a function that stops: it puts the original history methods back (when no one wrapped them after us).
 */
export function watchNavigation(navigated: () => void): () => void {
  const { history, location } = window;
  let last = location.href;
  let active = true;
  const check = () => {
    if (!active || location.href === last) return;
    last = location.href;
    navigated();
  };
  const wrap = (original: History['pushState']): History['pushState'] =>
    function (this: History, ...args) {
      original.apply(this, args);
      check();
    };
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const wrapped = { pushState: wrap(originals.pushState), replaceState: wrap(originals.replaceState) };
  history.pushState = wrapped.pushState;
  history.replaceState = wrapped.replaceState;
  window.addEventListener('popstate', check);
  window.addEventListener('hashchange', check);
  return () => {
    active = false;
    // A wrapper added after ours stays; ours then just passes calls through (active is false).
    for (const name of ['pushState', 'replaceState'] as const) if (history[name] === wrapped[name]) history[name] = originals[name];
    window.removeEventListener('popstate', check);
    window.removeEventListener('hashchange', check);
  };
}
