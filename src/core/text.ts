/**
 * Text from input (a file name, a YAML value, an AWS error, a pack) shown on a terminal or in a one-line error:
 * newlines collapse to a space, C0/C1 control characters (terminal escapes among them) become `?`, and the result
 * is bounded, so a hostile string can neither split a one-line error nor drive the terminal.
 */
/** Text kept on its line for a terminal: C0/C1 control characters (newlines, escapes) become `?`; nothing else changes. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
}

export function oneLine(text: string, max = 2000): string {
  const line = text
    .replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' ')
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\t' ? ' ' : '?'))
    .trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
