/**
 * Everything a site visitor reads, in Russian and English: the embed script shows these, and the
 * server's messages to visitors use the same words, so the two never disagree.
 */
export const FORM_TEXTS = {
  required: { ru: 'Заполните это поле', en: 'Please fill in this field' },
  invalid_phone: { ru: 'Проверьте номер телефона', en: 'Please check the phone number' },
  invalid_email: { ru: 'Проверьте адрес e-mail', en: 'Please check the e-mail address' },
  invalid_number: { ru: 'Введите число', en: 'Please enter a number' },
  not_an_option: { ru: 'Выберите вариант из списка', en: 'Please choose one of the options' },
  too_long: { ru: 'Слишком длинный текст', en: 'The text is too long' },
  need_contact: { ru: 'Оставьте телефон или e-mail', en: 'Please leave a phone number or an e-mail' },
  checkFields: { ru: 'Проверьте поля формы', en: 'Please check the form' },
  tooMany: {
    ru: 'Слишком много заявок с вашего адреса. Попробуйте позже.',
    en: 'Too many submissions from your address. Please try again later.',
  },
  failed: { ru: 'Не удалось отправить заявку. Попробуйте ещё раз.', en: 'Could not send the form. Please try again.' },
  sending: { ru: 'Отправляем…', en: 'Sending…' },
  choose: { ru: 'Выберите…', en: 'Choose…' },
  back: { ru: 'Вернуться на сайт', en: 'Back to the site' },
  sent: { ru: 'Заявка отправлена', en: 'Request sent' },
} as const;

export type FieldProblem =
  'required' | 'invalid_phone' | 'invalid_email' | 'invalid_number' | 'not_an_option' | 'too_long' | 'need_contact';

export const DEFAULT_THANK_YOU = {
  ru: 'Спасибо! Мы получили вашу заявку и скоро свяжемся с вами.',
  en: 'Thank you! We have received your request and will contact you shortly.',
};

export const DEFAULT_SUBMIT_LABEL = { ru: 'Отправить', en: 'Send' };
