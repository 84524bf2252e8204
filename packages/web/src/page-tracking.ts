// Single-page-app navigations, seen without the host app's help: history.pushState/replaceState are wrapped,
// popstate and hashchange listened to. Each change of URL is reported once.

/**
 * Calls `navigated` whenever the URL changes through `pushState`, `replaceState`, `popstate` or `hashchange`,
 * until `signal` aborts; then the original history methods are put back (when no one wrapped them after us).
 */
export function watchNavigation(signal: AbortSignal, navigated: () => void): void {
  let last = location.href;
  const check = () => {
    if (signal.aborted || location.href === last) return;
    last = location.href;
    navigated();
  };
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = history[name];
    const wrapped: History[typeof name] = function (this: History, ...args) {
      original.apply(this, args);
      check();
    };
    history[name] = wrapped;
    // A wrapper added after ours stays; ours then just passes calls through (once stopped).
    signal.addEventListener('abort', () => history[name] === wrapped && (history[name] = original));
  }
  for (const type of ['popstate', 'hashchange']) addEventListener(type, check, { signal });
}
