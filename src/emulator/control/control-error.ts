/** A refused control operation; the HTTP layer turns it into `{status, body: {error}}`. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ControlError';
  }
}
