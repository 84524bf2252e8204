// The body's tiny markup, parsed into plain data. Rendering turns this data into DOM nodes made
// from text, so nothing in a message can ever become HTML.
import { isSafeUrl } from './url.js';

/** One piece of a parsed body. A link's `href` is always safe (see `isSafeUrl`). */
export type BodyNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'strong'; children: BodyNode[] }
  | { type: 'em'; children: BodyNode[] }
  | { type: 'link'; href: string; children: BodyNode[] };

/** Markers, a link's end with its URL (no spaces, up to the first ")"), and line breaks. */
const TOKEN = /\*\*|_|\[|\]\(([^)\s]*)\)|\r\n?|\n/g;

const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const isWord = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

/**
 * Parses a message body: `**bold**`, `_em_`, `[label](url)` and line breaks; everything else is
 * text. Emphasis hugs its text (`**a**`, not `** a **`), `snake_case_words` stay text, a marker
 * without a partner stays text, and a link whose URL is not safe keeps its label and loses its URL.
 * One pass over the body: at most one of each marker is open at a time.
 */
export function parseBody(body: string): BodyNode[] {
  const stack: Array<{ marker: string; nodes: BodyNode[] }> = [{ marker: '', nodes: [] }];
  const add = (node: BodyNode) => {
    const nodes = stack.at(-1)!.nodes;
    const last = nodes.at(-1);
    if (node.type === 'text' && last?.type === 'text') last.text += node.text;
    else if (node.type !== 'text' || node.text) nodes.push(node);
  };
  const addText = (text: string) => add({ type: 'text', text });
  // Closes every frame above `depth`, giving those markers back as text.
  const unwind = (depth: number) => {
    while (stack.length > depth + 1) {
      const frame = stack.pop()!;
      addText(frame.marker);
      frame.nodes.forEach(add);
    }
  };
  let end = 0;
  for (const match of body.matchAll(TOKEN)) {
    const token = match[0];
    addText(body.slice(end, match.index));
    const before = body[match.index - 1];
    end = match.index + token.length;
    const after = body[end];
    const open = stack.findIndex((f) => f.marker === (token[0] === ']' ? '[' : token));
    const frame = stack[open];
    if (token[0] === '\n' || token[0] === '\r') {
      add({ type: 'break' });
    } else if (token === '[') {
      // A link's label holds no link: a newer "[" gives the older one back as text.
      if (frame) unwind(open - 1);
      stack.push({ marker: token, nodes: [] });
    } else if (frame && frame.nodes.length > 0 && (token[0] === ']' || (!isSpace(before) && (token === '**' || !isWord(after))))) {
      unwind(open);
      stack.pop();
      const href = match[1];
      if (token === '**') add({ type: 'strong', children: frame.nodes });
      else if (token === '_') add({ type: 'em', children: frame.nodes });
      else if (isSafeUrl(href)) add({ type: 'link', href, children: frame.nodes });
      else frame.nodes.forEach(add);
    } else if (!frame && token[0] !== ']' && !isSpace(after) && (token === '**' || !isWord(before))) {
      stack.push({ marker: token, nodes: [] });
    } else {
      addText(token);
    }
  }
  addText(body.slice(end));
  unwind(0);
  return stack[0]!.nodes;
}
