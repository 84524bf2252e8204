import { LitElement, html } from 'lit';

/**
 * Renders one Beckon message.
 * @summary An in-app message: modal, banner, popup or inline.
 */
export class BeckonMessage extends LitElement {
  static override properties = { heading: { type: String } };
  declare heading: string;

  constructor() {
    super();
    this.heading = '';
  }

  protected override render() {
    return html`<div part="base"><h2 part="title">${this.heading}</h2></div>`;
  }
}
