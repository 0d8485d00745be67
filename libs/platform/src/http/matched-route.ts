import type { FastifyRequest } from 'fastify';

/**
 * The path a decision about a request is made on: the pattern of the route Fastify matched
 * (`/api/v1/interviews/:id/amend`), never the raw URL, which the caller spells as it likes
 * (`/%61pi/v1/…` reaches the same handler as `/api/v1/…`). A request no route matched (a 404)
 * falls back to its percent-decoded path, so that it is judged like the route it imitates.
 */
export function decisionPath(request: Pick<FastifyRequest, 'url' | 'routeOptions'>): string {
  return request.routeOptions?.url ?? decodedPath(request.url);
}

/** The path of a URL without its query, percent-decoded (as is when the encoding is broken). */
export function decodedPath(url: string): string {
  const path = url.split('?')[0];
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
