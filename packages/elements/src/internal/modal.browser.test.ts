import { expect, fixture, html } from '@open-wc/testing';
import { openModal } from './modal.js';

describe('openModal', () => {
  const page = document.documentElement;
  afterEach(() => {
    page.style.overflow = '';
    page.style.paddingRight = '';
  });

  it('one hold on the page: the first modal locks scrolling, the last to close restores the page styles', async () => {
    page.style.overflow = 'auto';
    const root = await fixture<HTMLElement>(html`<div><div tabindex="-1" id="a"></div><div tabindex="-1" id="b"></div></div>`);
    const closeA = openModal(root.querySelector('#a')!);
    const closeB = openModal(root.querySelector('#b')!);
    expect(page.style.overflow).to.equal('hidden');
    closeA();
    closeA();
    expect(page.style.overflow).to.equal('hidden');
    closeB();
    expect(page.style.overflow).to.equal('auto');
  });

  it('focuses the modal, and gives focus back where it was when it closes', async () => {
    const root = await fixture<HTMLElement>(html`<div><button id="trigger">open</button><div tabindex="-1" id="dialog"></div></div>`);
    const trigger = root.querySelector<HTMLElement>('#trigger')!;
    trigger.focus();
    const close = openModal(root.querySelector('#dialog')!);
    expect(document.activeElement?.id).to.equal('dialog');
    close();
    expect(document.activeElement).to.equal(trigger);
  });
  it('gives focus back to an SVG element too', async () => {
    const root = await fixture<HTMLElement>(html`<div><svg tabindex="0" id="icon" width="10" height="10"></svg><div tabindex="-1" id="dialog"></div></div>`);
    const icon = root.querySelector<SVGElement>('#icon')!;
    icon.focus();
    expect(document.activeElement?.id).to.equal('icon');
    const close = openModal(root.querySelector('#dialog')!);
    expect(document.activeElement?.id).to.equal('dialog');
    close();
    expect(document.activeElement?.id).to.equal('icon');
  });

  // The scrollbar padding is checked with real scrollbars in ../csp.test.ts (this runner hides them).
});
