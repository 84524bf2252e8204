// Builds the docs site into docs/site: Markdown pages wrapped in one layout, the demo store's pages,
// the SDK's script-tag build, and the scripts of the live demos bundled by esbuild from the packages'
// TypeScript sources (the `source` export condition, so no package build is needed first).
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Marked } from 'marked';
import { configScript } from './serve.mjs';
import { bundleForBrowser } from '../scripts/bundle.mjs';

const docs = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(docs, '..');

/** The docs pages, in navigation order: [file in pages/ without .md, title in the navigation]. */
export const NAV = [
  ['index', 'Getting started'],
  ['messages', 'Message reference'],
  ['page-rules', 'Page rules'],
  ['frequency', 'Frequency'],
  ['layouts', 'Layouts & theming'],
  ['tracking', 'Tracking & identify'],
  ['react', 'React & React Native'],
  ['metrics', 'Metrics'],
  ['experiments', 'Experiments'],
  ['server', 'The server'],
  ['privacy', 'Privacy'],
  ['production', 'Running in production'],
  ['accessibility', 'Accessibility'],
  ['playground', 'Playground'],
];

/** The demo store's pages: [file in store/ without .html, label in the store's navigation]. */
export const STORE_NAV = [
  ['index', 'Shop'],
  ['pricing', 'Pricing'],
  ['signup', 'Sign up'],
];

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

function slug(text) {
  return text.toLowerCase().replace(/<[^>]+>/g, '').replace(/&[a-z]+;/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Replaces `{{name}}` in a template; values are escaped unless the name is in `raw`. */
function fill(template, values, raw = []) {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    if (!(name in values)) throw new Error(`docs build: the template uses {{${name}}}, which has no value`);
    return raw.includes(name) ? values[name] : escapeHtml(values[name]);
  });
}

/** Wraps a docs page body in the site layout. */
function docsLayout({ title, body, current, scripts }) {
  const nav = NAV.map(([file, label]) => {
    const href = file === 'index' ? './' : `./${file}.html`;
    return `<li><a href="${href}"${file === current ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a></li>`;
  }).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Beckon</title>
<link rel="icon" href="./assets/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="./assets/site.css">
<script src="./config.js"></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><a class="brand" href="./">Beckon</a><a href="./store/">Demo store</a><a href="/dashboard" data-dashboard>Dashboard</a></header>
<div class="frame">
<nav aria-label="Documentation"><ul>${nav}</ul></nav>
<main id="main">
${body}
</main>
</div>
${['site', ...scripts].map((s) => `<script type="module" src="./assets/${s}.js"></script>`).join('\n')}
</body>
</html>
`;
}

async function buildDocsPages(outDir) {
  const marked = new Marked({
    renderer: {
      heading({ tokens, depth }) {
        const html = this.parser.parseInline(tokens);
        return `<h${depth} id="${slug(html)}">${html}</h${depth}>\n`;
      },
    },
  });
  for (const [file, label] of NAV) {
    const source = readFileSync(path.join(docs, 'pages', `${file}.md`), 'utf8');
    // A page asks for a demo script with a comment: <!-- script: layouts -->
    const scripts = [...source.matchAll(/<!--\s*script:\s*([\w-]+)\s*-->/g)].map((m) => m[1]);
    const body = await marked.parse(source);
    writeFileSync(path.join(outDir, `${file}.html`), docsLayout({ title: label, body, current: file, scripts }));
  }
}

/** The store's pages: each fragment in store/pages wrapped in store/layout.html, and a page per product. */
function buildStorePages(outDir) {
  const store = path.join(docs, 'store');
  const layout = readFileSync(path.join(store, 'layout.html'), 'utf8');
  const products = JSON.parse(readFileSync(path.join(store, 'products.json'), 'utf8'));
  const productTemplate = readFileSync(path.join(store, 'product.html'), 'utf8');
  const cardTemplate = readFileSync(path.join(store, 'product-card.html'), 'utf8');
  const cards = (list) => list.map((p) => fill(cardTemplate, p)).join('\n');
  const page = (file, title, content, current) => {
    const nav = STORE_NAV.map(([name, label]) => {
      const href = name === 'index' ? '/store/' : `/store/${name}`;
      return `<a href="${href}"${name === current ? ' aria-current="page"' : ''}>${escapeHtml(label)}</a>`;
    }).join('');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, fill(layout, { title, content, nav }, ['content', 'nav']));
  };
  for (const name of readdirSync(path.join(store, 'pages'))) {
    const source = readFileSync(path.join(store, 'pages', name), 'utf8');
    const title = /<!--\s*title:\s*(.+?)\s*-->/.exec(source)?.[1] ?? 'Lumen & Loom';
    page(path.join(outDir, 'store', name), title, source.replace('{{products}}', cards(products)), name.replace(/\.html$/, ''));
  }
  for (const product of products) {
    page(path.join(outDir, 'store', 'products', `${product.slug}.html`), product.name, fill(productTemplate, { ...product, related: cards(products.filter((p) => p !== product)) }, ['related']), '');
  }
  cpSync(path.join(store, 'store.css'), path.join(outDir, 'store', 'store.css'));
}

/** Bundles the live demos (docs/src/*.ts) and the SDK's script-tag build into assets/. */
async function buildScripts(outDir, minify) {
  const common = { bundle: true, platform: 'browser', target: 'es2022', minify, sourcemap: true, conditions: ['source'], logLevel: 'warning', tsconfig: path.join(root, 'tsconfig.json') };
  const entries = readdirSync(path.join(docs, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  await build({ ...common, entryPoints: entries.map((f) => path.join(docs, 'src', f)), outdir: path.join(outDir, 'assets'), splitting: true, format: 'esm' });
  // The same files as packages/web/dist: the store loads Beckon with a plain <script> tag, and
  // beckon.min.js loads the compiler (for catalogs that are not compiled) and the renderer from beside itself.
  const web = path.join(root, 'packages', 'web', 'src');
  const scriptTag = [['global.ts', 'beckon.min.js', 'iife'], ['compiler.ts', 'beckon-compiler.min.js', 'esm'], ['elements.ts', 'beckon-elements.min.js', 'esm']];
  for (const [entry, outfile, format] of scriptTag) {
    await bundleForBrowser({ entry: path.join(web, entry), outfile: path.join(outDir, 'assets', outfile), format, conditions: ['source'], tsconfig: common.tsconfig });
  }
}

/** Builds the whole site into `outDir` (default docs/site) and returns that folder. */
export async function buildSite({ outDir = path.join(docs, 'site'), minify = true } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(path.join(outDir, 'assets'), { recursive: true });
  cpSync(path.join(docs, 'assets'), path.join(outDir, 'assets'), { recursive: true });
  writeFileSync(path.join(outDir, 'config.js'), configScript());
  await buildDocsPages(outDir);
  buildStorePages(outDir);
  await buildScripts(outDir, minify);
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const out = await buildSite();
  console.log(`built the docs site in ${path.relative(process.cwd(), out) || '.'}`);
}
