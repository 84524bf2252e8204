// picomatch quietly reads an unclosed "[" or "{" as a literal or a pattern that matches nothing;
// authors get a clear error instead.

/** What is wrong with a glob's brackets, as a phrase with the fix (`unclosed "["; ...`), or `undefined`. */
export function globSyntaxProblem(glob: string): string | undefined {
  const open: string[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') {
      if (i === glob.length - 1) return 'it ends with a lone "\\"; escape a backslash as "\\\\"';
      i++;
    } else if (char === '[') {
      const end = classEnd(glob, i);
      if (end < 0) return 'unclosed "["; close the character class with "]", or write "\\[" for a literal bracket';
      i = end;
    } else if (char === '{' || char === '(') {
      open.push(char);
    } else if (char === '}' || char === ')') {
      const opener = char === '}' ? '{' : '(';
      if (open.pop() !== opener) return `unmatched "${char}"; remove it, or write "\\${char}" for a literal one`;
    }
  }
  const last = open.pop();
  if (last) return `unclosed "${last}"; close it with "${last === '{' ? '}' : ')'}", or write "\\${last}" for a literal one`;
  return undefined;
}

/** Index of the "]" closing the character class opened at `start`, or -1. */
function classEnd(glob: string, start: number): number {
  let i = start + 1;
  if (glob[i] === '!' || glob[i] === '^') i++;
  if (glob[i] === ']') i++; // a "]" right after the opening is a literal member
  for (; i < glob.length; i++) {
    if (glob[i] === '\\') i++;
    else if (glob[i] === '[' && glob[i + 1] === ':') {
      const end = glob.indexOf(':]', i + 2); // POSIX class such as [[:alpha:]]
      if (end < 0) return -1;
      i = end + 1;
    } else if (glob[i] === ']') return i;
  }
  return -1;
}
