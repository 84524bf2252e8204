import { expect, fixture, html } from '@open-wc/testing';
import { deepActiveElement, tabbables } from './tabbable.js';

describe('tabbables', () => {
  it('lists what Tab reaches, in tree order, and skips disabled, hidden, inert and tabindex="-1"', async () => {
    const root = await fixture<HTMLElement>(html`<div>
      <a href="/x" id="link">link</a>
      <a id="no-href">no href</a>
      <button id="button">button</button>
      <button disabled>disabled</button>
      <button style="display: none">gone</button>
      <button style="visibility: hidden">invisible</button>
      <div inert><button>inert</button></div>
      <fieldset disabled><input id="in-disabled-fieldset" /></fieldset>
      <input id="input" />
      <div tabindex="0" id="div">div</div>
      <div tabindex="-1">programmatic only</div>
      <textarea id="textarea"></textarea>
    </div>`);
    expect(tabbables(root).map((e) => e.id)).to.deep.equal(['link', 'button', 'input', 'div', 'textarea']);
  });

  it('takes what has an href only when it is a link: an SVG <a href>, not an SVG <image href>', async () => {
    const root = await fixture<HTMLElement>(html`<div>
      <svg width="60" height="20"><a href="/x" id="svg-link"><text x="0" y="15">link</text></a><image href="data:," id="image" width="5" height="5" /></svg>
    </div>`);
    expect(tabbables(root).map((e) => e.id)).to.deep.equal(['svg-link']);
  });

  it('finds the focused element inside shadow roots', async () => {
    const host = await fixture<HTMLElement>(html`<div></div>`);
    const shadow = host.attachShadow({ mode: 'open' });
    const button = document.createElement('button');
    shadow.append(button);
    button.focus();
    expect(document.activeElement).to.equal(host);
    expect(deepActiveElement()).to.equal(button);
  });
});
