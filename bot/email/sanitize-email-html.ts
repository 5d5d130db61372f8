import sanitizeHtml from 'sanitize-html';

/** A CSS value without functions (so no url(), expression(), var()), or a plain colour function. */
const SAFE_VALUE = [/^[^()\\;:<>]*$/, /^(rgb|rgba|hsl|hsla)\(\s*[\d\s.,%/]+\)$/i];
const STYLED = [
  'color',
  'background-color',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-align',
  'text-decoration',
  'text-transform',
  'line-height',
  'letter-spacing',
  'vertical-align',
  'white-space',
  'width',
  'height',
  'max-width',
  'min-width',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-width',
  'border-style',
  'border-radius',
  'border-collapse',
  'list-style-type',
];

/** Images that travel inside the mail; anything else is fetched from somewhere when shown. */
const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+$/i;

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    'img',
    'font',
    'center',
    'u',
    's',
    'strike',
    'big',
    'small',
    'col',
    'colgroup',
  ],
  // The content of these never reaches the page (sanitize-html's nonTextTags), nor do these tags.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'iframe', 'object'],
  allowedAttributes: {
    '*': [
      'style',
      'align',
      'valign',
      'width',
      'height',
      'bgcolor',
      'color',
      'dir',
      'lang',
      'title',
      'border',
      'cellpadding',
      'cellspacing',
      'colspan',
      'rowspan',
    ],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'alt'],
    font: ['face', 'size'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: { '*': Object.fromEntries(STYLED.map((property) => [property, SAFE_VALUE])) },
  transformTags: {
    // Links open outside the inbox and tell the other site nothing about where they came from.
    a: (tagName, attribs) => ({
      tagName,
      attribs: { ...attribs, target: '_blank', rel: 'noopener noreferrer nofollow' },
    }),
    // Remote images are not loaded: a tracking pixel would tell the sender when, and from which
    // address, an operator opened the mail. They show as their alt text; `cid:` images are among
    // the message's attachments.
    img: (tagName, attribs) => {
      if (INLINE_IMAGE.test(attribs.src ?? '')) return { tagName, attribs };
      return { tagName: 'span', attribs: {}, text: attribs.alt ? `[${attribs.alt}]` : '' };
    },
  },
};

/**
 * The HTML of a mail made safe to show to an operator: no scripts, event handlers, javascript:
 * links, frames, forms, embedded objects or style sheets; inline styles only of a known list and
 * without url(); no remote images. The inbox still shows the result in a sandboxed iframe with a
 * Content-Security-Policy, so a gap here would not run script either.
 */
export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}
