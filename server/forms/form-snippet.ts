/** Where the form's public endpoints live below the app's public address. */
export function formUrls(publicUrl: string, formId: string): { submitUrl: string; embedUrl: string } {
  const base = `${publicUrl.replace(/\/+$/, '')}/api/v1/forms/${formId}`;
  return { submitUrl: `${base}/submissions`, embedUrl: `${base}/embed.js` };
}

/** The id of the element the embed script renders the form into. */
export const formContainerId = (formId: string) => `funnel-form-${formId}`;

/**
 * What an admin pastes into a site page: a placeholder where the form appears and the script
 * that renders it. The script is loaded from the app each time, so changes to the form reach the
 * site without pasting again.
 */
export function formSnippet(publicUrl: string, formId: string): string {
  const { embedUrl } = formUrls(publicUrl, formId);
  return [`<div id="${formContainerId(formId)}"></div>`, `<script src="${embedUrl}" async></script>`].join('\n');
}
