/**
 * Errors thrown by the engine. They cross process boundaries by `name` and `message`,
 * so both are meant to be shown to the user as they are.
 */

/** A clustering parameter is invalid. `param` names it with the KMeansParams key (or an option name). */
export class ParamError extends Error {
  override readonly name = 'ParamError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

/** The fit was cancelled through its AbortSignal (checked between iterations / batch steps). */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'the fit was cancelled') {
    super(message);
  }
}
