import { expect, fixture, html } from '@open-wc/testing';
import './define.js';
import { findInlineHost } from './inline-host.js';

describe('findInlineHost', () => {
  let page: HTMLElement;
  beforeEach(async () => {
    page = await fixture(html`<div>
      <beckon-slot name="other"></beckon-slot>
      <beckon-slot name='pricing "footer"'></beckon-slot>
      <section id="promo" class="promo"></section>
    </div>`);
  });

  it('finds the <beckon-slot> with the layout slot name, whatever characters it holds', () => {
    expect(findInlineHost({ type: 'inline', slot: 'pricing "footer"' }, page)).to.equal(page.querySelectorAll('beckon-slot')[1]);
    expect(findInlineHost({ type: 'inline', slot: 'other' })).to.equal(page.querySelector('beckon-slot'));
  });

  it('falls back to the selector, and returns null for no match, a bad selector or another layout', () => {
    expect(findInlineHost({ type: 'inline', slot: 'missing', selector: '#promo' }, page)).to.equal(page.querySelector('#promo'));
    expect(findInlineHost({ type: 'inline', selector: 'section.promo' }, page)).to.equal(page.querySelector('#promo'));
    expect(findInlineHost({ type: 'inline', slot: 'missing' }, page)).to.equal(null);
    expect(findInlineHost({ type: 'inline', selector: '#nope' }, page)).to.equal(null);
    expect(findInlineHost({ type: 'inline', selector: 'div[[' }, page)).to.equal(null);
    expect(findInlineHost({ type: 'inline' }, page)).to.equal(null);
    expect(findInlineHost({ type: 'modal' }, page)).to.equal(null);
  });
});

describe('<beckon-slot>', () => {
  it('is a block as wide as its container, with no height while empty', async () => {
    const page = await fixture<HTMLElement>(html`<div style="width: 240px"><beckon-slot name="s"></beckon-slot></div>`);
    const slot = page.querySelector('beckon-slot')!;
    await slot.updateComplete;
    expect(slot.getBoundingClientRect().width).to.equal(240);
    expect(slot.getBoundingClientRect().height).to.equal(0);
    expect(slot.name).to.equal('s');
  });

  it('shows what is put in it', async () => {
    const page = await fixture<HTMLElement>(html`<div><beckon-slot name="s"><p>hello</p></beckon-slot></div>`);
    const slot = page.querySelector('beckon-slot')!;
    await slot.updateComplete;
    expect(slot.getBoundingClientRect().height).to.be.above(0);
    expect(slot.shadowRoot!.querySelector('slot')!.assignedElements()[0]!.textContent).to.equal('hello');
  });
});
