/** Formatting rules shared by the checkout page and the dashboard (CONTRACT §8, §10). */

/** `50000` INR → `₹500.00`; other currencies use the code: `USD 500.00`. No digit grouping. */
export function formatAmount(paise: number, currency = 'INR'): string {
  const rupees = (paise / 100).toFixed(2);
  return currency === 'INR' ? `₹${rupees}` : `${currency} ${rupees}`;
}

/** ISO timestamp → `YYYY-MM-DD HH:mm:ss` in UTC; null/undefined/invalid → `-`. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '-';
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** null/undefined/empty → `-`, anything else as text. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}
