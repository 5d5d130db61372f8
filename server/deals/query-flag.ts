import { z } from 'zod';

/**
 * A boolean query parameter. `z.coerce.boolean()` would read the string "false" as true, so only
 * the two literal spellings are accepted.
 */
export const queryFlag = z.enum(['true', 'false']).transform((value) => value === 'true');
