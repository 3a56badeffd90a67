/** Errors of the registry and API, each with its HTTP status and a reason naming the culprit. */
export class HubError extends Error {
  override readonly name: string = 'HubError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** 400: a body or query parameter is invalid; the reason names the field. */
export class ValidationError extends HubError {
  override readonly name = 'ValidationError';
  constructor(message: string) {
    super(400, message);
  }
}

/** 401: no token, or an unknown one. */
export class UnauthorizedError extends HubError {
  override readonly name = 'UnauthorizedError';
  constructor(message = 'a valid token is required (Authorization: FlespiToken <token> or Bearer <token>)') {
    super(401, message);
  }
}

/** 403: the token's ACL does not allow the call. */
export class ForbiddenError extends HubError {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super(403, message);
  }
}

/** 404: a selector matched nothing, or the route does not exist. */
export class NotFoundError extends HubError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super(404, message);
  }
}

/** 409: a unique value (ident, name) is taken. */
export class ConflictError extends HubError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super(409, message);
  }
}

/** 413: the request body is larger than allowed. */
export class PayloadTooLargeError extends HubError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string) {
    super(413, message);
  }
}
