/** A return on investment (1.5 = +150 %) as a signed percent in the reader's locale: "+150 %", "−40 %". */
export function formatRoi(roi: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'percent',
    maximumFractionDigits: 1,
    signDisplay: 'exceptZero',
  }).format(roi);
}
