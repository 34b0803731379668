// Producer and consumer around a small bounded queue built on promises.

import { sleepUntil, ticks, trace } from "#suite";

// [pattern]
/**
 * A FIFO queue holding at most `capacity` items. `put` waits for room,
 * `tryPut` refuses (returns false) when there is none; at capacity 0 an item
 * is only ever handed straight to a waiting taker. Iterating it takes the
 * items until it is closed and drained.
 */
export class BoundedQueue {
  #items = [];
  #takers = []; // resolvers of takes waiting for an item
  #putters = []; // resolvers of puts waiting for room
  #closed = false;

  constructor(capacity) {
    this.capacity = capacity;
  }

  tryPut(value) {
    const taker = this.#takers.shift();
    if (taker) {
      taker({ value, done: false });
      return true;
    }
    if (this.#items.length < this.capacity) {
      this.#items.push(value);
      return true;
    }
    return false;
  }

  async put(value) {
    while (!this.tryPut(value)) {
      await new Promise((resolve) => this.#putters.push(resolve));
    }
  }

  close() {
    this.#closed = true;
    for (const taker of this.#takers.splice(0)) taker({ done: true });
  }

  take() {
    this.#putters.shift()?.(); // a waiting put may now find room, or this taker
    if (this.#items.length > 0) {
      return Promise.resolve({ value: this.#items.shift(), done: false });
    }
    if (this.#closed) return Promise.resolve({ done: true });
    return new Promise((resolve) => this.#takers.push(resolve));
  }

  [Symbol.asyncIterator]() {
    return { next: () => this.take() };
  }
}

/**
 * Puts the items, waiting for room (`wait`) or refusing when full, then closes.
 * `onItem("sent" or "refused", item)` sees what became of each.
 */
export async function produce(queue, items, wait, onItem) {
  for (const item of items) {
    let sent = true;
    if (wait) await queue.put(item);
    else sent = queue.tryPut(item);
    onItem(sent ? "sent" : "refused", item);
  }
  queue.close();
}

/**
 * Takes the items in order, spending `work` ms on each, until the end.
 * `onItem("got", item)` sees each item as it is taken.
 */
export async function consume(queue, work, onItem) {
  const values = [];
  for await (const item of queue) {
    onItem("got", item);
    values.push(item);
    await new Promise((resolve) => setTimeout(resolve, work));
  }
  return values;
}
// [/pattern]

export async function run({ capacity, items, work, consumer_start, wait }) {
  const queue = new BoundedQueue(capacity);
  const onItem = (what, item) => trace(what, { value: item });
  const producing = produce(queue, items, wait, onItem);
  await sleepUntil(consumer_start);
  const values = await consume(queue, ticks(work), onItem);
  await producing;
  trace("result", { values });
}
