// The page-rules page: tests the pattern and URL typed in the form with matchPage, as you type.
import { matchPage, type PagePattern } from '@beckon/rules';
import { byId } from './lib/dom.js';

const pattern = byId<HTMLInputElement>('pattern');
const url = byId<HTMLInputElement>('pattern-url');
const result = byId('pattern-result');

/** A glob as typed, or an object form written as JSON (`{ "contains": "sale" }`). */
function readPattern(text: string): PagePattern {
  return text.trim().startsWith('{') ? (JSON.parse(text) as PagePattern) : text.trim();
}

function update(): void {
  try {
    const matches = matchPage(readPattern(pattern.value), url.value.trim());
    result.className = matches ? 'match-yes' : 'match-no';
    result.textContent = matches ? 'Matches: the message may show on this page.' : 'Does not match.';
  } catch (error) {
    result.className = 'error-text';
    result.textContent = (error as Error).message;
  }
}

pattern.addEventListener('input', update);
url.addEventListener('input', update);
update();
