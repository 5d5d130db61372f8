/**
 * Loose checks on what a visitor types into the offline form, shared by the widget (to show the
 * message in place) and the server (which must not trust the widget). Loose on purpose: the inbox
 * normalises phones later, and a lead lost to a strict regex costs more than a typo.
 */
export const contactChecks = {
  phone(value: string): boolean {
    if (!/^\+?[\d\s().-]+$/.test(value)) return false;
    const digits = value.replace(/\D/g, '').length;
    return digits >= 7 && digits <= 15;
  },
  email(value: string): boolean {
    return value.length <= 300 && /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(value);
  },
};
