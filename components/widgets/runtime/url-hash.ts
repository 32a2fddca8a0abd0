// Finding a widget's part of the URL fragment, on its own so a widget can check whether the URL holds
// a state for it without loading the decoder and validators (./urlState.ts), which it then imports
// only when there is something to read.

/** The raw value of `key` in a fragment like `#a=…&b=…`; undefined when absent. */
export function hashValue(hash: string, key: string): string | undefined {
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0 && safeDecode(part.slice(0, eq)) === key) return safeDecode(part.slice(eq + 1));
  }
  return undefined;
}

export function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Does the fragment hold a state for `key`? */
export function hasHashValue(
  key: string,
  hash: string = typeof location === 'undefined' ? '' : location.hash,
): boolean {
  return hashValue(hash, key) !== undefined;
}
