import type { NextFunction, Request, Response } from 'express';

/** Browsers must take a response as the type it says (a JSON error is never run as a script). */
export const setNoSniff = (response: Response): void => {
  response.setHeader('x-content-type-options', 'nosniff');
};

export function noSniffMiddleware(_request: Request, response: Response, next: NextFunction): void {
  setNoSniff(response);
  next();
}
