/** A small SVG chart of latency distributions: one row per series, p10–p99 line, p25–p75 box, p50 tick. */
import { percentile } from './client.js';

export interface LatencySeries {
  readonly label: string;
  readonly samples: readonly number[];
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function latencyChart(title: string, series: readonly LatencySeries[]): string {
  const width = 760;
  const left = 300;
  const row = 26;
  const top = 40;
  const height = top + row * series.length + 40;
  const max = Math.max(1, ...series.map((s) => percentile(s.samples, 99))) * 1.05;
  const x = (ms: number) => left + ((width - left - 20) * ms) / max;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(title)}</text>`,
  ];
  for (let tick = 0; tick <= 5; tick++) {
    const ms = (max * tick) / 5;
    const tx = x(ms);
    const bottom = top + row * series.length;
    parts.push(`<line x1="${tx}" y1="${top - 5}" x2="${tx}" y2="${bottom}" stroke="#ddd"/>`);
    parts.push(
      `<text x="${tx}" y="${bottom + 15}" text-anchor="middle">${ms.toFixed(0)} ms</text>`,
    );
  }
  series.forEach((s, i) => {
    const y = top + row * i + row / 2;
    const [p10, p25, p50, p75, p99] = [10, 25, 50, 75, 99].map((p) => percentile(s.samples, p)) as [
      number,
      number,
      number,
      number,
      number,
    ];
    const color = s.label.startsWith('gateway') ? '#1f77b4' : '#ff7f0e';
    parts.push(`<text x="${left - 8}" y="${y + 4}" text-anchor="end">${escape(s.label)}</text>`);
    parts.push(`<line x1="${x(p10)}" y1="${y}" x2="${x(p99)}" y2="${y}" stroke="${color}"/>`);
    parts.push(
      `<rect x="${x(p25)}" y="${y - 7}" width="${Math.max(1, x(p75) - x(p25))}" height="14" fill="${color}" fill-opacity="0.35" stroke="${color}"/>`,
    );
    parts.push(
      `<line x1="${x(p50)}" y1="${y - 9}" x2="${x(p50)}" y2="${y + 9}" stroke="black" stroke-width="2"/>`,
    );
  });
  parts.push(
    `<text x="10" y="${height - 8}" fill="#555">line: p10 to p99; box: p25 to p75; black tick: p50</text>`,
    '</svg>',
  );
  return parts.join('\n');
}
