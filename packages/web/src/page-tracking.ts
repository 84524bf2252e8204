// Single-page-app navigations, seen without the host app's help: history.pushState/replaceState are wrapped,
// popstate and hashchange listened to. Each change of URL is reported once.

/**
 * Calls `navigated` whenever the URL changes through `pushState`, `replaceState`, `popstate` or `hashchange`.
 * Returns a function that stops: it puts the original history methods back (when no one wrapped them after us).
 */
export function watchNavigation(navigated: () => void): () => void {
  const { history, location } = window;
  let last = location.href;
  const stop = new AbortController();
  const check = () => {
    if (stop.signal.aborted || location.href === last) return;
    last = location.href;
    navigated();
  };
  const restores = (['pushState', 'replaceState'] as const).map((name) => {
    const original = history[name];
    const wrapped: History[typeof name] = function (this: History, ...args) {
      original.apply(this, args);
      check();
    };
    history[name] = wrapped;
    // A wrapper added after ours stays; ours then just passes calls through (once stopped).
    return () => history[name] === wrapped && (history[name] = original);
  });
  for (const type of ['popstate', 'hashchange']) addEventListener(type, check, { signal: stop.signal });
  return () => {
    stop.abort();
    for (const restore of restores) restore();
  };
}
