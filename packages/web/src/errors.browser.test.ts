// Failures inside Beckon stay inside: each is logged once and the host page carries on.
import { expect } from '@open-wc/testing';
import { captureWarnings, catalogOf, cleanup, message, onScreen, start, until, watchDecisions } from '../test/kit.js';
import type { BeckonOptions } from './types.js';

describe('failures', () => {
  afterEach(cleanup);

  /** Starts Beckon with `options`, uses every method, and returns the warnings printed meanwhile. */
  async function exercise(options: Parameters<typeof start>[0]): Promise<string[]> {
    return captureWarnings(async () => {
      const { beckon } = start(options);
      await beckon.ready;
      beckon.page();
      beckon.track('clicked_something');
      beckon.screen('Home');
      expect(beckon.explain()).to.be.an('array');
      beckon.identify('user-1');
      beckon.page();
      await beckon.flush();
      beckon.destroy();
    });
  }

  const catalogFailures: Array<[what: string, options: BeckonOptions, warning: string]> = [
    ['a catalog URL that fails', { catalogUrl: '/no-such-catalog.json' }, '/no-such-catalog.json answered 404'],
    ['a catalog server that cannot be reached', { endpoint: 'http://127.0.0.1:9' }, 'no catalog, so no message shows'],
    ['a catalog URL that answers garbage', { catalogUrl: 'data:application/json,{not json' }, 'no catalog, so no message shows'],
    ['a catalog that is JSON but not a catalog', { catalogUrl: 'data:application/json,{"hello":"world"}' }, 'problem(s) in the catalog'],
    ['no catalog at all', {}, 'pass `catalog`, `catalogUrl` or `endpoint`'],
  ];
  for (const [what, options, warning] of catalogFailures) {
    it(`${what}: ready resolves, every method works, one warning`, async () => {
      const warnings = await exercise(options);
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain(warning);
    });
  }

  it('a compiled catalog with a broken message: one warning however often it is evaluated', async () => {
    const catalog = catalogOf(message('fine'));
    (catalog.messages as unknown[]).push({ id: 'broken', layout: null });
    const warnings = await exercise({ catalog });
    expect(warnings).to.have.length(1);
  });

  it('an unknown storage mode: warned, and the default used', async () => {
    const warnings = await captureWarnings(async () => {
      const { beckon } = start({ catalog: catalogOf(message('m')), storage: 'cookies-please' as never });
      await beckon.ready;
      await until(() => onScreen().includes('m'), 'the message');
    });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('cookies-please');
  });

  it('storage that throws on every access: messages still show, the ledger lives in memory, one warning', async () => {
    const local = Object.getOwnPropertyDescriptor(window, 'localStorage')!;
    Object.defineProperty(window, 'localStorage', {
      configurable: true,
      get() {
        throw new DOMException('The operation is insecure.', 'SecurityError');
      },
    });
    try {
      const warnings = await captureWarnings(async () => {
        const decisions = watchDecisions();
        const { beckon, tracked } = start({ catalog: catalogOf(message('once', { layout: { type: 'banner' }, frequency: { maxShows: 1 } })), debug: true });
        await beckon.ready;
        await until(() => tracked().includes('Message Shown'), 'Message Shown');
        document.querySelector('beckon-message')!.remove();
        beckon.page();
        // The show is remembered in memory: maxShows still holds.
        expect(decisions.at(-1)!.show).to.deep.equal([]);
        expect(onScreen()).to.deep.equal([]);
      });
      expect(warnings.filter((w) => w.includes('[beckon]') && w.includes('message history'))).to.have.length(1);
    } finally {
      Object.defineProperty(window, 'localStorage', local);
    }
  });

  it('a full storage quota: the ledger is kept in memory', async () => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = () => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError');
    };
    try {
      const warnings = await captureWarnings(async () => {
        const { beckon, tracked } = start({ catalog: catalogOf(message('m', { layout: { type: 'popup' } })) });
        await beckon.ready;
        await until(() => tracked().includes('Message Shown'), 'Message Shown');
      });
      expect(warnings.filter((w) => w.includes('message history'))).to.have.length(1);
    } finally {
      Storage.prototype.setItem = setItem;
    }
  });
});
