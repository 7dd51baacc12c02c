/**
 * Answers of a pure computation kept by key, the whole map emptied once it holds `limit`: for work
 * asked again and again about a bounded set of values (days, dates), where luxon or Intl costs more
 * than everything around it. A computation that throws keeps nothing.
 */
export class BoundedMemo<K, V> {
  private readonly values = new Map<K, V>();

  constructor(private readonly limit: number) {}

  has(key: K): boolean {
    return this.values.has(key);
  }

  get(key: K, compute: (key: K) => V): V {
    const known = this.values.get(key);
    if (known !== undefined || this.values.has(key)) return known as V;
    const value = compute(key);
    this.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.values.size >= this.limit) this.values.clear();
    this.values.set(key, value);
  }
}
