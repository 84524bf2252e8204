// A <beckon-message> that cannot render (here: another library took the tag name): logged once, the page carries on.
import { expect } from '@open-wc/testing';
import { captureWarnings, catalogOf, cleanup, message, start } from '../test/kit.js';

customElements.define(
  'beckon-message',
  class extends HTMLElement {
    set message(_value: unknown) {
      throw new Error('not the element Beckon expects');
    }
  },
);

describe('a message whose render throws', () => {
  afterEach(cleanup);

  it('is logged once and records nothing; the page and other calls keep working', async () => {
    const warnings = await captureWarnings(async () => {
      const { beckon, tracked } = start({ catalog: catalogOf(message('a'), message('b', { layout: { type: 'banner' } })) });
      await beckon.ready;
      await new Promise((resolve) => setTimeout(resolve, 50));
      beckon.page();
      beckon.track('something');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(tracked()).to.deep.equal(['something']);
      expect(localStorage.getItem('beckon_ledger')).not.to.contain('"s"');
    });
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.contain('not the element Beckon expects');
  });
});
