/**
 * Formats a duration compactly for a terminal table: `45s`, `12m`, `3h05m`, `2d04h`; negative
 * durations get a leading `-`.
 */
export function formatDuration(milliseconds: number): string {
  const sign = milliseconds < 0 ? '-' : '';
  const seconds = Math.floor(Math.abs(milliseconds) / 1000);
  if (seconds < 60) return `${sign}${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${sign}${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${sign}${hours}h${String(minutes % 60).padStart(2, '0')}m`;
  return `${sign}${Math.floor(hours / 24)}d${String(hours % 24).padStart(2, '0')}h`;
}
