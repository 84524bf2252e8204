// A page that defines <beckon-message> itself (here: @beckon/elements, imported by the page) keeps it: Beckon draws
// with it and loads no renderer of its own.
import '@beckon/elements/define';
import { expect } from '@open-wc/testing';
import { compileCatalog } from '@beckon/rules';
import { cleanup, message, onScreen, until } from '../test/kit.js';
import { startBeckon } from './shell.js';

describe('a page with its own <beckon-message>', () => {
  afterEach(cleanup);

  it('is drawn with, and no renderer is loaded', async () => {
    let loads = 0;
    const beckon = startBeckon(
      { storage: 'memory', catalog: compileCatalog([message('offer')]) },
      {
        loadCompiler: () => import('./compiler.js'),
        loadElements: () => {
          loads++;
          return import('./elements.js');
        },
      },
    );
    try {
      await beckon.ready;
      await until(() => onScreen().includes('offer'), 'the message drawn by the page’s element');
      expect(loads).to.equal(0);
    } finally {
      beckon.destroy();
    }
  });
});
