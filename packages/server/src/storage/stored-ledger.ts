import { emptyLedger, parseLedger, type Ledger } from '@beckon/rules';

/** Reads a ledger an engine wrote as JSON: plain JSON.parse, with parseLedger's repairs only for anything unexpected. */
export function readStoredLedger(text: string | undefined | null): Ledger {
  if (text === undefined || text === null) return emptyLedger();
  try {
    const value = JSON.parse(text) as Ledger;
    if (value?.v === 1 && typeof value.messages === 'object' && value.messages !== null) return value;
  } catch {
    // Falls through to parseLedger, which starts a fresh ledger.
  }
  return parseLedger(text);
}
