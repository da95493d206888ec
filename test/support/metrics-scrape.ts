/** One scrape of `/metrics`: every sample keyed by `name{label="value",…}` (labels sorted). */
export class MetricsScrape {
  private constructor(
    private readonly samples: Map<string, number>,
    readonly text: string,
  ) {}

  /** GETs `/metrics` and parses the Prometheus text format. */
  static async fetch(baseUrl: string): Promise<MetricsScrape> {
    const response = await fetch(`${baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
    const text = await response.text();
    const samples = new Map<string, number>();
    for (const line of text.split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`unparsable metrics line: ${line}`);
      samples.set(key(match[1], parseLabels(match[2] ?? '')), Number(match[3]));
    }
    return new MetricsScrape(samples, text);
  }

  /** The sample's value; 0 when the series does not exist (a counter not yet incremented). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples.get(key(name, labels)) ?? 0;
  }

  /** Whether the series exists at all. */
  has(name: string, labels: Record<string, string> = {}): boolean {
    return this.samples.has(key(name, labels));
  }
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const match of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[match[1]] = match[2];
  return labels;
}

function key(name: string, labels: Record<string, string>): string {
  const parts = Object.keys(labels)
    .sort()
    .map((label) => `${label}="${labels[label]}"`);
  return `${name}{${parts.join(',')}}`;
}
