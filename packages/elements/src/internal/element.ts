// The base of Beckon's elements: an open shadow root styled by one constructed stylesheet per class,
// rendered with Lit's templates, one render per burst of changes. LitElement does this and more, but
// its reactive-property machinery would spend 2.7 kB of the package's 9 kB gzip budget.
import { render } from 'lit/html.js';

/** HTMLElement in browsers; a stand-in in Node, so the classes can be imported while server rendering. */
const Base = (globalThis.HTMLElement ?? class {}) as typeof HTMLElement;

const sheets = new WeakMap<object, CSSStyleSheet>();

export abstract class BeckonElement extends Base {
  /** CSS for the shadow root; constructed stylesheets need no `unsafe-inline` under a Content-Security-Policy. */
  static styles = '';

  #pending: Promise<void> | undefined;

  /** Resolves once every render requested so far has happened. */
  get updateComplete(): Promise<void> {
    return (async () => {
      while (this.#pending) await this.#pending;
    })();
  }

  connectedCallback(): void {
    if (!this.shadowRoot) {
      const type = this.constructor as typeof BeckonElement;
      let sheet = sheets.get(type);
      if (!sheet) {
        sheet = new CSSStyleSheet();
        sheet.replaceSync(type.styles);
        sheets.set(type, sheet);
      }
      this.attachShadow({ mode: 'open' }).adoptedStyleSheets = [sheet];
    }
    this.requestUpdate();
  }

  /** Renders in a microtask, once however many changes come before it. */
  requestUpdate(): void {
    this.#pending ??= Promise.resolve().then(() => {
      this.#pending = undefined;
      if (!this.shadowRoot) return;
      // No `host` option: every listener in a template is an arrow function, so none needs `this` bound.
      render(this.render(), this.shadowRoot);
      this.updated();
    });
  }

  /** What the shadow root shows: a Lit template, or `nothing`. */
  protected abstract render(): unknown;

  /** Runs after each render. */
  protected updated(): void {}
}
