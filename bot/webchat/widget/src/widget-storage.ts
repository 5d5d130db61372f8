import { isBoolean, isString, optional, recordOf, shape } from './guard.js';

export interface StoredWidgetState {
  visitorId?: string;
  /** The panel was open: a reload or the next page keeps it open. */
  open?: boolean;
  /** The name given in the offline form once sent: the thanks screen stays instead of a second form. */
  offlineSent?: string;
  /** The campaign tags of the page the visitor landed on, kept for a message written on a later page. */
  utm?: Record<string, string>;
}

const isStoredWidgetState = shape<StoredWidgetState>({
  visitorId: optional(isString),
  open: optional(isBoolean),
  offlineSent: optional(isString),
  utm: optional(recordOf(isString)),
});

/**
 * The widget's memory in the site's localStorage under `funnel-widget:<channelId>`. Storage can be
 * missing or full (private modes, quotas): the widget then forgets on reload, it does not break.
 */
export function widgetStorage(channelId: string) {
  const key = `funnel-widget:${channelId}`;

  function read(): StoredWidgetState {
    try {
      const stored: unknown = JSON.parse(localStorage.getItem(key) ?? '{}');
      return isStoredWidgetState(stored) ? stored : {};
    } catch {
      return {};
    }
  }

  return {
    read,
    update(change: StoredWidgetState): void {
      try {
        localStorage.setItem(key, JSON.stringify({ ...read(), ...change }));
      } catch {
        // Nothing to do: see above.
      }
    },
  };
}

export type WidgetStorage = ReturnType<typeof widgetStorage>;
