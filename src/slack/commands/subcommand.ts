/**
 * The words after `/arende <word>` when the text starts with one of `words` (any case), else null.
 * Every subcommand is routed by this one rule, so `status`, `digest`, `roll` … cannot shadow each other.
 */
export function argumentsAfter(words: readonly string[], text: string): string | null {
  const trimmed = text.trimStart();
  const [first = ""] = trimmed.split(/\s/, 1);
  if (!words.includes(first.toLowerCase())) return null;
  return trimmed.slice(first.length).trim();
}
