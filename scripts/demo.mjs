// `npm run demo`: will start `beckon serve` with the demo catalog and serve the docs and demo store.
import { installDependencies } from './bootstrap.mjs';

installDependencies();
console.log(`
The Beckon demo is not built yet. When it is, this command will:
  - start \`beckon serve\` with a demo catalog and a SQLite file,
  - serve the docs site and a small demo store on http://localhost:8080,
  - and print the URL to open.
Meanwhile, \`npm test\` runs every test.`);
