import { expect, fixture, html } from '@open-wc/testing';
import './define.js';

describe('<beckon-message>', () => {
  it('renders its title as text', async () => {
    const el = await fixture(html`<beckon-message heading="<b>Hi</b>"></beckon-message>`);
    const title = el.shadowRoot!.querySelector('[part="title"]')!;
    expect(title.textContent).to.equal('<b>Hi</b>');
    expect(title.querySelector('b')).to.equal(null);
  });
});
