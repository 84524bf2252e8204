// `npx cem analyze` (run in this folder) writes custom-elements.json from the JSDoc of the elements:
// @summary, @attr, @csspart, @cssproperty, @event, @slot. src/manifest.test.ts keeps it up to date.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts', 'src/internal/{modal,tabbable}.ts'],
  outdir: '.',
  packagejson: false,
};
