// <beckon-message>: one message, rendered as a modal, banner, popup or inline card.
// Imported first: bundles then carry the CSS ahead of lit and the code that names its classes, which gzips ~25 B smaller.
import { messageStyles } from './message.styles.js';
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { Action, ActionStyle, Content, Layout, LayoutType, Message } from './types.js';
import type { BeckonActionDetail, BeckonDismissDetail, BeckonShownDetail, DismissVia } from './events.js';
import { BeckonElement } from './internal/element.js';
import { openModal } from './internal/modal.js';
import { parseBody, type BodyNode } from './markup.js';
import { isSafeUrl } from './url.js';

const POPUP_POSITIONS = ['top-left', 'top-right', 'bottom-left', 'bottom-right'];
const ACTION_STYLES: ActionStyle[] = ['primary', 'secondary', 'link'];

/** A string from untrusted content, or '' for anything else. */
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Builds a parsed body into `parent` from elements and text nodes (never from HTML), directly: a
 * long body with hundreds of emphases would take many times longer as one Lit template per piece.
 */
function buildBody(nodes: BodyNode[], parent: HTMLElement): HTMLElement {
  for (const node of nodes) {
    parent.append(
      node.type === 'text' ? node.text
      : node.type === 'break' ? document.createElement('br')
      // An anchor's href and part properties set the attributes to these very strings.
      : buildBody(node.children, node.type === 'link' ? Object.assign(document.createElement('a'), { href: node.href, part: 'link' }) : document.createElement(node.type)),
    );
  }
  return parent;
}

/**
 * A Beckon event: it leaves the shadow root and bubbles, so a page can listen on `document`. Made outside the class,
 * where the manifest analyzer does not take it for an event of its own.
 */
const beckonEvent = (type: string, message: Message, detail: object, cancelable?: boolean) =>
  new CustomEvent(type, { detail: { messageId: text(message.id), ...detail }, bubbles: true, composed: true, cancelable });

/** A layout checked for rendering. */
interface RenderLayout {
  type: LayoutType;
  /** Classes beside the type: top or bottom for a banner (and `push` for one in the page's flow rather than over it), a corner for a popup. */
  position: string;
  /** A banner or popup: over the page without taking focus, announced politely. */
  floating: boolean;
}

/** The layout to render, its options checked. Anything unknown shows as a popup, the least intrusive. */
function layoutOf(message: Message): RenderLayout {
  const { type, position, push } = (message.layout ?? {}) as Partial<Layout> & Record<string, unknown>;
  const known = type === 'modal' || type === 'banner' || type === 'inline';
  return {
    type: known ? type : 'popup',
    position:
      type === 'banner' ? `${position === 'bottom' ? 'bottom' : 'top'}${push === true ? ' push' : ''}`
      : known ? ''
      : POPUP_POSITIONS.find((p) => p === position) ?? 'bottom-right',
    floating: type === 'banner' || !known,
  };
}

/**
 * Renders one Beckon message. Set `message`; the element shows it while `open` (the default) and
 * fires `beckon-shown` once it is actually on screen.
 *
 * - `modal`: a dialog over a backdrop; focus moves in and is trapped, Escape and the backdrop
 *   dismiss, the page does not scroll, and focus returns where it was on close.
 * - `banner`: a full-width bar at the top or bottom, overlaying the page or (with `push`) in its flow.
 * - `popup`: a card in a corner. Banners and popups never take focus; they are announced politely.
 * - `inline`: a card in place, sized by the element it is put in (a `<beckon-slot>` or any element).
 *
 * @summary An accessible, themeable in-app message: modal, banner, popup or inline.
 * @customElement beckon-message
 *
 * @attr close-label - Accessible name of the close button (default "Close"); same as `closeLabel`.
 *
 * @csspart base - The message box: the modal's dialog, the banner's bar, the popup's or inline message's card.
 * @csspart backdrop - The modal's backdrop.
 * @csspart close - The close button.
 * @csspart image - The image.
 * @csspart title - The title.
 * @csspart body - The body text.
 * @csspart link - A link in the body text.
 * @csspart actions - The row of actions.
 * @csspart action - Each action; it also has `action-primary`, `action-secondary` or `action-link` by its style.
 *
 * @cssproperty --beckon-font-family - Font of the message (default: system-ui, sans-serif).
 * @cssproperty --beckon-font-size - Base font size (default: 1rem).
 * @cssproperty --beckon-color-background - Background of the message box.
 * @cssproperty --beckon-color-text - Text colour.
 * @cssproperty --beckon-color-primary - Background of primary actions.
 * @cssproperty --beckon-color-on-primary - Text colour of primary actions.
 * @cssproperty --beckon-color-border - Borders of secondary actions and inline messages.
 * @cssproperty --beckon-color-focus - Focus ring.
 * @cssproperty --beckon-color-backdrop - The modal's backdrop.
 * @cssproperty --beckon-radius - Corner radius of the message box (default: 0.75rem).
 * @cssproperty --beckon-spacing - Padding of the message box (default: 1.25rem).
 * @cssproperty --beckon-shadow - Shadow of the message box.
 * @cssproperty --beckon-width - Width of a modal (default: 28rem) or popup (default: 22rem).
 * @cssproperty --beckon-z-index - Stacking level of modals, banners and popups (default: 2147483000).
 *
 * @event {CustomEvent<BeckonShownDetail>} beckon-shown - The message is on screen: rendered, at least partly in the viewport, in a visible tab. Once per showing.
 * @event {CustomEvent<BeckonActionDetail>} beckon-action - An action was clicked. Cancelable: `preventDefault()` stops the element from following the action's URL.
 * @event {CustomEvent<BeckonDismissDetail>} beckon-dismiss - The message was dismissed and has closed; `via` says how.
 */
export class BeckonMessage extends BeckonElement {
  static override styles = messageStyles;
  static observedAttributes = ['close-label'];

  #current: Message | undefined;
  #isOpen = true;
  #layout: RenderLayout | undefined;
  /** The body's element, built once per message (undefined: not built yet; null: the message has no body). */
  #bodyElement: HTMLElement | null | undefined;
  #imageFailed = false;
  /** Text of the polite live region, set once the message is on screen so that it is announced. */
  #announcement = '';
  /** The showing in progress: which message, and how to undo what showing it did to the page. */
  #showing: { message: Message; end: () => void } | undefined;

  constructor() {
    super();
    // Properties set before the tag was defined sit on the instance and hide the accessors: re-apply them.
    for (const key of ['message', 'open'] as const) {
      if (Object.hasOwn(this, key)) {
        const value = this[key];
        delete this[key];
        (this as Record<typeof key, unknown>)[key] = value;
      }
    }
  }

  /** The message to show (DESIGN.md, "Message model"). Its content is untrusted: it is only ever rendered as text. */
  get message(): Message | undefined {
    return this.#current;
  }
  set message(message: Message | undefined) {
    if (message === this.#current) return;
    this.#current = message;
    this.#layout = message ? layoutOf(message) : undefined;
    this.#bodyElement = undefined;
    this.#imageFailed = false;
    this.#announcement = '';
    this.requestUpdate();
  }

  /**
   * Whether the message is showing (default true). Setting it to false closes the message quietly,
   * without `beckon-dismiss`; `close()` closes it as a dismissal. Set it to true to show it again.
   */
  get open(): boolean {
    return this.#isOpen;
  }
  set open(open: boolean) {
    if (Boolean(open) === this.#isOpen) return;
    this.#isOpen = Boolean(open);
    this.#announcement = '';
    this.requestUpdate();
  }

  /** Accessible name of the close button (attribute `close-label`, default "Close"); set it to translate. */
  get closeLabel(): string {
    return this.getAttribute('close-label') || 'Close';
  }
  set closeLabel(label: string) {
    this.setAttribute('close-label', label);
  }

  attributeChangedCallback(): void {
    this.requestUpdate();
  }

  /** Closes the message as a dismissal: fires `beckon-dismiss` with `via: 'api'`. Does nothing if it is not showing. */
  close(): void {
    this.#dismiss('api');
  }

  disconnectedCallback(): void {
    this.#endShowing();
  }

  protected override updated(): void {
    const message = this.open && this.isConnected ? this.message : undefined;
    if (this.#showing?.message === message) return;
    this.#endShowing();
    if (message) this.#startShowing(message);
  }

  protected override render(): unknown {
    const message = this.message;
    const layout = this.#layout;
    if (!message || !layout || !this.open) return nothing;
    const content = (message.content ?? {}) as Partial<Content>;
    const title = text(content.title);
    const body = this.#body(content);
    const image = content.image && isSafeUrl(content.image.src) && !this.#imageFailed ? content.image : undefined;
    const actions = (Array.isArray(content.actions) ? content.actions : []).filter((a) => a && text(a.label)).slice(0, 3);
    const modal = layout.type === 'modal';
    const { floating } = layout;
    const labelledBy = title ? 'title' : body ? 'body' : nothing;

    // The buttons need no type="button": in the shadow root they have no form owner, so no page form submits.
    const box = html`<div part="base" class="base ${layout.type} ${layout.position}" dir="auto"
role=${modal ? 'dialog' : floating && title ? 'region' : nothing} aria-modal=${modal ? 'true' : nothing}
aria-labelledby=${modal || (floating && title) ? labelledBy : nothing} aria-describedby=${modal && title && body ? 'body' : nothing}
tabindex=${modal ? '-1' : nothing} @keydown=${layout.type === 'inline' ? nothing : this.#onKeydown}>
<button part="close" class="close" aria-label=${this.closeLabel} @click=${() => this.#dismiss('close-button')}><svg viewBox="0 0 16 16" aria-hidden="true"><path d="M3 3l10 10M13 3L3 13"/></svg></button>
${image ? html`<img part="image" src=${image.src} alt=${text(image.alt)} @error=${this.#onImageError}>` : nothing}
<div class="text">${title ? html`<h2 part="title" id="title" dir="auto">${title}</h2>` : nothing}${body ?? nothing}</div>
${actions.length ? html`<div part="actions" class="actions">${actions.map((a) => this.#renderAction(message, a))}</div>` : nothing}
</div>`;

    if (modal) return html`<div part="backdrop" class="backdrop" @click=${this.#onBackdrop}></div>${box}`;
    if (floating) return html`${box}<div class="sr-only" role="status" aria-live="polite">${this.#announcement}</div>`;
    return box;
  }

  /** The body as `<div part="body">`, or null when the message has none. */
  #body(content: Partial<Content>): HTMLElement | null {
    if (this.#bodyElement === undefined) {
      const nodes = parseBody(text(content.body));
      // `part` forwards an assigned string to its token list's value.
      this.#bodyElement = nodes.length ? buildBody(nodes, Object.assign(document.createElement('div'), { id: 'body', dir: 'auto', part: 'body' })) : null;
    }
    return this.#bodyElement;
  }

  #renderAction(message: Message, action: Action): TemplateResult {
    const style = ACTION_STYLES.find((s) => s === action.style) ?? 'secondary';
    const href = isSafeUrl(action.url) ? action.url : undefined;
    const onClick = (event: MouseEvent) => this.#onAction(event, message, action, href);
    const part = `action action-${style}`;
    return href
      ? html`<a part=${part} class="action ${style}" href=${href} dir="auto" @click=${onClick}>${action.label}</a>`
      : html`<button part=${part} class="action ${style}" dir="auto" @click=${onClick}>${action.label}</button>`;
  }

  #onAction(event: MouseEvent, message: Message, action: Action, url: string | undefined): void {
    const followed = this.#emit<BeckonActionDetail>('beckon-action', message, { actionId: text(action.id), url }, true);
    // With a modifier key the browser opens the link elsewhere and this page stays: let it.
    const elsewhere = event.ctrlKey || event.altKey || event.metaKey || event.shiftKey;
    if (!followed || (url && !elsewhere)) event.preventDefault();
    // Navigating ourselves keeps working even if the element is closed or removed during this click.
    if (followed && url && !elsewhere) location.assign(url);
    if (!action.dismiss) return;
    if (!elsewhere) return this.#dismiss('action');
    // Later, once the browser has opened the link; unless another message has taken this one's place.
    setTimeout(() => this.message === message && this.#dismiss('action'));
  }

  #onImageError = (): void => {
    this.#imageFailed = true;
    this.requestUpdate();
  };

  #onBackdrop = (): void => {
    // Only a modal has a backdrop: the layout is a modal's.
    if ((this.message!.layout as Extract<Layout, { type: 'modal' }>).dismissOnBackdrop !== false) this.#dismiss('backdrop');
  };

  /** Escape dismisses while focus is inside: always so in a modal, which keeps focus; in a banner or popup when the visitor went there. */
  #onKeydown = (event: KeyboardEvent): void => {
    if (event.key === 'Escape' && !event.defaultPrevented && !event.isComposing) {
      event.preventDefault();
      this.#dismiss('escape');
    }
  };

  #dismiss(via: DismissVia): void {
    const message = this.message;
    if (!message || !this.open) return;
    this.open = false;
    this.#emit<BeckonDismissDetail>('beckon-dismiss', message, { via });
  }

  /** Runs once a message is rendered and open: takes focus for a modal, then waits until it is on screen. */
  #startShowing(message: Message): void {
    // The render just before drew this open message: its layout is checked and its box is there.
    const base = this.shadowRoot!.querySelector<HTMLElement>('.base')!;
    const layout = this.#layout!;

    // "Shown" means on screen: rendered and at least partly in the viewport.
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      this.#emit<BeckonShownDetail>('beckon-shown', message, { layout: layout.type });
      // Live regions announce changes, not what they held when inserted: fill it now.
      if (layout.floating) {
        this.#announcement = base.querySelector<HTMLElement>('.text')!.innerText;
        this.requestUpdate();
      }
    });
    observer.observe(base);

    // A modal takes focus, keeps it and stops the page from scrolling until it closes.
    const closeModal = layout.type === 'modal' ? openModal(base) : undefined;
    this.#showing = {
      message,
      end: () => {
        observer.disconnect();
        closeModal?.();
      },
    };
  }

  #endShowing(): void {
    // (Ending twice is harmless: an observer disconnects and a modal closes once.)
    this.#showing?.end();
    this.#showing = undefined;
  }

  /** Fires a Beckon event about `message`. */
  #emit<T extends { messageId: string }>(type: string, message: Message, detail: Omit<T, 'messageId'>, cancelable?: boolean): boolean {
    return this.dispatchEvent(beckonEvent(type, message, detail, cancelable));
  }
}
