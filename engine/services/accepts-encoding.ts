/** Content negotiation for answers a route compresses itself: whether an Accept-Encoding header accepts `encoding` (listed without q=0). */
export function accepts(header: string, encoding: string): boolean {
  return header.split(',').some((part) => {
    const [name, ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    if (name !== encoding) return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
