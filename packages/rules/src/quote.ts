/** A value as an error message quotes it: JSON, cut to 60 characters. */
export function quote(value: unknown): string {
  const json = JSON.stringify(value);
  return json === undefined || typeof value === 'number' ? String(value) : json.length > 60 ? `${json.slice(0, 57)}…` : json;
}
