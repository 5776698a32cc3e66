/**
 * Every route of the real app, read from Fastify's own route table (printRoutes: hidden
 * routes included), with the query and body parameters of its OpenAPI description.
 * Shared by the route-scope and injection tests.
 */
import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify path (`/api/alerts/:id`). */
  readonly path: string;
  /** `GET /api/alerts/:id`. */
  readonly key: string;
  readonly query: readonly string[];
  readonly body: readonly string[];
}

/** Parses printRoutes({ commonPrefix: false }): each line is a segment appended to its parent's path. */
export function routeTable(app: FastifyInstance): RouteEntry[] {
  const text = app.printRoutes({ commonPrefix: false });
  const stack: { depth: number; path: string }[] = [];
  const pairs: { method: string; path: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(.*?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (!m) continue;
    const depth = [...m[1]].length / 4;
    while (stack.length && stack[stack.length - 1].depth >= depth) stack.pop();
    const path = (stack.length ? stack[stack.length - 1].path : '') + m[2];
    stack.push({ depth, path });
    if (m[3]) for (const method of m[3].split(', ')) pairs.push({ method, path });
  }
  const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } }>> };
  const out = new Map<string, RouteEntry>();
  for (const { method, path } of pairs) {
    if (method === 'HEAD' || method === 'OPTIONS') continue;
    const op = doc.paths[path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[method.toLowerCase()];
    const key = `${method} ${path}`;
    out.set(key, {
      method: method as RouteEntry['method'],
      path,
      key,
      query: (op?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      body: Object.keys(op?.requestBody?.content?.['application/json']?.schema?.properties ?? {}),
    });
  }
  return [...out.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The API routes whose data the scope and injection tests cover (the Swagger UI's own files aside). */
export function apiRoutes(app: FastifyInstance): RouteEntry[] {
  return routeTable(app).filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'));
}
