// An error whose message is written for the person who caused it. Messages never quote what
// the person typed back to them: free text may be case text.
export type UserErrorCode = 'invalid' | 'refused' | 'not-found' | 'conflict';

export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const invalid = (message: string): UserError => new UserError('invalid', message);
export const refused = (message: string): UserError => new UserError('refused', message);
export const notFound = (message: string): UserError => new UserError('not-found', message);
export const conflict = (message: string): UserError => new UserError('conflict', message);
