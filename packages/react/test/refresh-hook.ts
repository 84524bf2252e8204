// Fast refresh's runtime hooks into React before react-dom loads (as a bundler's React plugin does it). Imported for
// `hooked`: this package says it has no side effects, so a bare import would be dropped by the bundler.
import { injectIntoGlobalHook } from 'react-refresh/runtime';

injectIntoGlobalHook(window);

export const hooked = true;
