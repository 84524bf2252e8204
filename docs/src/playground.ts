// The playground: validates the JSON being edited with parseCatalog (errors with their paths), decides
// with evaluate for the visitor described in the form, and previews every valid message with the real
// <beckon-message>.
import '@beckon/elements/define';
import { compileCatalog, emptyLedger, evaluate, parseCatalog, recordPageView, type CatalogError, type Message, type PendingTrigger } from '@beckon/rules';
import demo from '../demo/messages.json' with { type: 'json' };
import { byId } from './lib/dom.js';

const BROKEN = {
  id: 'Summer Sale',
  pages: { include: ['/pri[cing'] },
  trigger: { delay: '5 minutes' },
  frequncy: { maxShows: 3 },
  layout: { type: 'modal', position: 'top' },
  content: { actions: [{ id: 'go', label: 'Go', url: 'javascript:alert(1)' }] },
};

/** The examples to start from: the demo store's messages, its whole catalog, and a broken message. */
const EXAMPLES: Array<[label: string, value: unknown]> = [
  ...demo.messages.map((message): [string, unknown] => [`${message.id} (${message.layout.type})`, message]),
  ['The demo store\'s whole catalog', demo],
  ['A broken message', BROKEN],
];

const source = byId<HTMLTextAreaElement>('pg-source');
const example = byId<HTMLSelectElement>('pg-example');
const status = byId('pg-status');
const errorList = byId('pg-errors');
const decision = byId('pg-decision');
const preview = byId('pg-preview');
const url = byId<HTMLInputElement>('pg-url');
const identified = byId<HTMLInputElement>('pg-identified');
const eventName = byId<HTMLInputElement>('pg-event');
const views = byId<HTMLInputElement>('pg-views');

/** What the editor holds: one message, or a catalog; errors of a single message drop the `messages[0]` prefix. */
interface Parsed {
  messages: Message[];
  errors: Array<{ path: string; text: string }>;
}

function parse(text: string): Parsed {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    return { messages: [], errors: [{ path: '', text: `not valid JSON: ${(error as Error).message}` }] };
  }
  const single = typeof input === 'object' && input !== null && !Array.isArray(input) && !('messages' in input);
  const { messages, errors } = parseCatalog(single ? [input] : input);
  return { messages, errors: errors.map((error) => describe(error, single)) };
}

function describe({ path, message }: CatalogError, single: boolean): { path: string; text: string } {
  const text = path ? message.slice(path.length + 2) : message;
  return { path: single ? path.replace(/^messages\[0\]\.?/, '') : path, text };
}

function showErrors(errors: Parsed['errors'], count: number): void {
  status.textContent = errors.length === 0 ? `Valid: ${count} message${count === 1 ? '' : 's'}.` : `${errors.length} problem${errors.length === 1 ? '' : 's'}${count ? `; ${count} valid message${count === 1 ? '' : 's'}` : ''}.`;
  status.className = `pg-status ${errors.length ? 'invalid' : 'valid'}`;
  errorList.replaceChildren(
    ...errors.map(({ path, text }) => {
      const item = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = path || '(the whole input)';
      const sentence = document.createElement('span');
      sentence.className = 'error-text';
      sentence.textContent = ` ${text}`;
      item.append(code, sentence);
      return item;
    }),
  );
}

/** A pending trigger as words: "after 5s, once scrolled 50%". */
function waitsFor(trigger: PendingTrigger | undefined): string {
  if (!trigger) return 'shows now';
  const parts = [
    trigger.delay ? `after ${trigger.delay / 1000}s` : '',
    trigger.scrollPercent ? `once scrolled ${trigger.scrollPercent}% down` : '',
    trigger.exitIntent ? 'on exit intent' : '',
  ];
  return `shows ${parts.filter(Boolean).join(', ')}`;
}

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function showDecision(messages: Message[]): void {
  if (messages.length === 0) {
    decision.replaceChildren(row([cell('—'), cell('—'), cell('No valid message to decide on.')]));
    return;
  }
  const now = Date.now();
  const pageViews = Math.max(1, Math.floor(Number(views.value)) || 1);
  const context = {
    url: url.value.trim() || '/',
    identified: identified.checked,
    visitorId: 'playground-visitor',
    event: eventName.value.trim() ? { name: eventName.value.trim() } : undefined,
    session: { startedAt: now, pageViews },
  };
  const { show, skipped } = evaluate(compileCatalog(messages), context, recordPageView(emptyLedger(), now), now);
  decision.replaceChildren(
    ...show.map(({ message, trigger }) => row([cell(message.id), cell('yes', 'match-yes'), cell(waitsFor(trigger))])),
    ...skipped.map(({ message, reason, detail }) => row([cell(message.id), cell(`no: ${reason}`, 'match-no'), cell(detail)])),
  );
}

function row(cells: HTMLTableCellElement[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

let overlay: HTMLElement | undefined;

function showPreview(messages: Message[]): void {
  preview.replaceChildren(
    ...messages.map((message) => {
      const item = document.createElement('div');
      item.className = 'pg-item';
      const el = document.createElement('beckon-message');
      // Overlays are previewed in place, so typing is never interrupted by a modal.
      el.message = { ...message, layout: { type: 'inline' } };
      item.append(el);
      if (message.layout.type !== 'inline') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'button';
        button.textContent = `Show "${message.id}" as a ${message.layout.type}`;
        button.addEventListener('click', () => {
          overlay?.remove();
          overlay = document.createElement('beckon-message');
          (overlay as HTMLElementTagNameMap['beckon-message']).message = message;
          document.body.append(overlay);
        });
        item.append(button);
      }
      return item;
    }),
  );
}

// The preview's links and actions would leave the playground.
document.addEventListener('beckon-action', (event) => event.preventDefault());

function update(): void {
  const { messages, errors } = parse(source.value);
  showErrors(errors, messages.length);
  showDecision(messages);
  showPreview(messages);
}

let pending: ReturnType<typeof setTimeout> | undefined;
function schedule(): void {
  clearTimeout(pending);
  pending = setTimeout(update, 120);
}

function load(index: number): void {
  source.value = JSON.stringify(EXAMPLES[index]![1], null, 2);
  update();
}

example.append(...EXAMPLES.map(([label], i) => new Option(label, String(i))));
example.addEventListener('change', () => load(Number(example.value)));
source.addEventListener('input', schedule);
for (const input of [url, identified, eventName, views]) input.addEventListener('input', () => showDecision(parse(source.value).messages));
example.value = String(EXAMPLES.findIndex(([, value]) => (value as Message).id === 'first-order-coupon'));
load(Number(example.value));
