// Types of build.mjs, for the end-to-end tests that build the site.

/** The docs pages, in navigation order: [file in pages/ without .md, title in the navigation]. */
export const NAV: ReadonlyArray<readonly [file: string, title: string]>;
/** The demo store's pages: [file in store/ without .html, label in the store's navigation]. */
export const STORE_NAV: ReadonlyArray<readonly [file: string, label: string]>;
/** Builds the whole site into `outDir` (default docs/site) and returns that folder. */
export function buildSite(options?: { outDir?: string; minify?: boolean }): Promise<string>;
