// picomatch quietly reads an unclosed "[" or "{" as a literal or a pattern that matches nothing;
// authors get a clear error instead.

/** What is wrong with a glob's brackets, as a phrase with the fix (`unclosed "["; ...`), or `undefined`. */
export function globSyntaxProblem(glob: string): string | undefined {
  const open: string[] = [];
  const problem = (what: string, char: string) => `${what} "${char}"; ${what === 'unclosed' ? 'close it' : 'remove it'}, or write "\\${char}" for a literal one`;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '\\') i++;
    else if (char === '[') {
      // A "]" right after "[" or "[!" is a member; POSIX classes such as [[:alpha:]] nest.
      const end = /^\[[!^]?\]?(?:\\.|\[:[a-z]+:\]|[^\]\\])*\]/.exec(glob.slice(i));
      if (!end) return problem('unclosed', char);
      i += end[0].length - 1;
    } else if (char === '{' || char === '(') open.push(char);
    else if ((char === '}' || char === ')') && open.pop() !== (char === '}' ? '{' : '(')) return problem('unmatched', char);
  }
  return open.length ? problem('unclosed', open.pop()!) : undefined;
}
