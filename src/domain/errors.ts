/** Errors raised by domain operations (flows and, later, Gemini tools call the same functions). */

/** The actor may not run this operation (e.g. a staff-only query from a customer). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
  constructor(message = 'forbidden') {
    super(message);
  }
}
