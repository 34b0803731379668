// Lazy pagination: an async generator that fetches a page only when asked.

import { op, ticks, trace } from "#suite";

// [pattern]
/**
 * Yields the items of every page, fetching page n+1 only once the consumer
 * asks for the item after the last of page n. A consumer that leaves its
 * `for await` loop early calls `return()`, which runs the `finally` block: no
 * further page is fetched and the source is released.
 */
export async function* items(fetchPage, onRelease) {
  try {
    for (let page = 1; ; page++) {
      const { items, last } = await fetchPage(page);
      yield* items;
      if (last) return;
    }
  } finally {
    onRelease();
  }
}
// [/pattern]

export async function run({ pages, per_page, fetch, take, then }) {
  // A fetch of page n: page 1 of an empty source is a last page with no items.
  async function fetchPage(page) {
    await op({ id: `page${page}`, ticks: fetch, value: page });
    const count = page <= pages ? per_page : 0;
    const first = (page - 1) * per_page + 1;
    return { items: Array.from({ length: count }, (_, i) => first + i), last: page >= pages };
  }
  const values = [];
  const source = items(fetchPage, () => trace("released"));
  for await (const item of source) {
    values.push(item);
    if (values.length === take) break;
  }
  // The consumer goes on for `then` ticks, still holding the generator.
  await new Promise((resolve) => setTimeout(resolve, ticks(then)));
  trace("result", { values });
}
