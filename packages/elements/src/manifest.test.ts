// custom-elements.json is committed for editors and frameworks; it must say what the code says.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('custom-elements.json', () => {
  it('is what the analyzer makes of the sources now (else run `npx cem analyze` in packages/elements)', () => {
    const out = mkdtempSync(join(tmpdir(), 'beckon-cem-'));
    try {
      const cli = join(dirname(createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/package.json')), 'cem.js');
      // The analyzer joins --outdir to its working directory, so pass it relative.
      const result = spawnSync(process.execPath, [cli, 'analyze', '--quiet', '--outdir', relative(pkg, out)], { cwd: pkg, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const fresh: unknown = JSON.parse(readFileSync(join(out, 'custom-elements.json'), 'utf8'));
      const committed: unknown = JSON.parse(readFileSync(join(pkg, 'custom-elements.json'), 'utf8'));
      expect(committed).toEqual(fresh);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('describes both tags with the attributes, events, parts and custom properties the README documents', () => {
    type Declaration = { tagName?: string; events?: Array<{ name: string }>; cssParts?: Array<{ name: string }>; cssProperties?: Array<{ name: string }>; attributes?: Array<{ name: string }> };
    const manifest = JSON.parse(readFileSync(join(pkg, 'custom-elements.json'), 'utf8')) as { modules: Array<{ declarations?: Declaration[] }> };
    const tags = new Map(manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName!, d]));
    expect([...tags.keys()].sort()).toEqual(['beckon-message', 'beckon-slot']);
    const message = tags.get('beckon-message')!;
    expect(message.events!.map((e) => e.name)).toEqual(['beckon-shown', 'beckon-action', 'beckon-dismiss']);
    expect(message.cssParts!.map((p) => p.name)).toEqual(['base', 'backdrop', 'close', 'image', 'title', 'body', 'link', 'actions', 'action']);
    expect(message.attributes!.map((a) => a.name)).toEqual(['close-label']);
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    for (const { name } of [...message.cssProperties!, ...message.cssParts!, ...message.events!]) expect(readme, name).toContain(`\`${name}\``);
  });
});
