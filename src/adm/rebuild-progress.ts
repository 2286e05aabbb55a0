// PURE: how rebuild progress reads on a terminal (one redrawn bar) and in a log (one line per change).
import type { RestoreInfo } from './sitter-api.js';

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** "zfs-incremental from P: 12.0 MiB of ~40.0 MiB (attempt 1)"; the estimate is an upper bound, so it may be passed. */
export function progressText(restore: RestoreInfo): string {
  const method = restore.method ?? 'preparing';
  const from = restore.source === null ? '' : ` from ${restore.source}`;
  const total = restore.estimatedBytes > 0 ? ` of ~${mib(restore.estimatedBytes)}` : '';
  const attempt = restore.attempt > 1 ? ` (attempt ${restore.attempt})` : '';
  return `${method}${from}: ${mib(restore.bytesReceived)}${total}${attempt}`;
}

export function progressBar(restore: RestoreInfo, width = 30): string {
  const fraction = restore.estimatedBytes > 0 ? Math.min(1, restore.bytesReceived / restore.estimatedBytes) : 0;
  const filled = Math.round(fraction * width);
  return `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${progressText(restore)}`;
}

/** "took 1.7 s: check source 120 ms, isolate 381 ms, …": where the copy's time went; empty when nothing was recorded. */
export function stepsText(restore: RestoreInfo): string {
  const steps = restore.steps ?? [];
  if (steps.length === 0) return '';
  const totalMs = steps.reduce((sum, step) => sum + step.durationMs, 0);
  return `took ${(totalMs / 1000).toFixed(1)} s: ${steps.map((step) => `${step.name} ${step.durationMs} ms`).join(', ')}`;
}
