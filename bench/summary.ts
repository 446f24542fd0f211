/**
 * The one table of `npm run bench -- all`: each benchmark reports its headline figures here (besides
 * its own detailed table), each with the baseline measured in the same run, the ratio and, where the
 * product has one, the target and whether this run met it.
 */

export interface HeadlineFigure {
  /** The benchmark's name in `npm run bench -- <name>`. */
  bench: string;
  /** What was measured, e.g. "dossier(code) through the hub". */
  figure: string;
  value: number;
  /** e.g. "req/s", "ms p99", "MB". */
  unit: string;
  /** The same run's baseline, in the same unit. */
  baseline?: { label: string; value: number };
  /** The target as a person reads it ("≥ 0.5×", "≤ slowest + 3 ms") and whether this run met it. */
  target?: { text: string; met: boolean };
  /** The measured process's peak resident memory under this load. */
  peakRssMb?: number;
}

const reported: HeadlineFigure[] = [];

export function reportHeadline(figure: HeadlineFigure): void {
  reported.push(figure);
}

export function reportedHeadlines(): readonly HeadlineFigure[] {
  return reported;
}

function formatNumber(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A plain-text table (also valid Markdown) of every reported figure, in the order reported. */
export function formatHeadlines(figures: readonly HeadlineFigure[]): string {
  const header = ['bench', 'figure', 'value', 'baseline (same run)', 'ratio', 'target', 'peak RSS MB'];
  const rows = figures.map((f) => [
    f.bench,
    f.figure,
    `${formatNumber(f.value)} ${f.unit}`,
    f.baseline ? `${formatNumber(f.baseline.value)} ${f.unit} (${f.baseline.label})` : '-',
    f.baseline && f.baseline.value !== 0 ? `${(f.value / f.baseline.value).toFixed(2)}×` : '-',
    f.target ? `${f.target.text}: ${f.target.met ? 'met' : 'MISSED'}` : '-',
    f.peakRssMb === undefined ? '-' : f.peakRssMb.toFixed(0),
  ]);
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
