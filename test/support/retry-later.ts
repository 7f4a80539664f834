interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: { ResponseStatus?: unknown };
}

/** A 503 ResponseStatus with the given code and a Retry-After, leaking nothing internal. */
export function expectRetryLater(res: HttpAnswer, errorCode: string): void {
  expect(res.status).toBe(503);
  expect(res.body.ResponseStatus).toMatchObject({
    ErrorCode: errorCode,
    Message: expect.any(String),
    Errors: [],
  });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
}
