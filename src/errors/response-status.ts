/** ServiceStack's error envelope: every 4xx/5xx body of the module is `{ ResponseStatus }`. */
export interface ResponseError {
  ErrorCode: string;
  FieldName: string;
  Message: string;
  Meta?: Record<string, string>;
}

export interface ResponseStatus {
  ErrorCode: string;
  Message: string;
  Errors: ResponseError[];
  Meta?: Record<string, string>;
}

export interface ErrorBody {
  ResponseStatus: ResponseStatus;
}
