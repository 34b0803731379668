// Backpressure with an ArrayBlockingQueue: put() waits for room, offer() refuses the item.
package patterns;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;

import suite.Json;
import suite.Suite;

// [pattern]
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

final class Backpressure {
    /**
     * Puts the items on the queue, then an empty Optional as the end. With {@code wait},
     * {@code put} blocks while the queue is full; without, {@code offer} returns false, and the
     * item is refused. {@code onSent} sees each item and whether it was sent.
     */
    static void produce(BlockingQueue<Optional<Long>> queue, List<Long> items, boolean wait,
            BiConsumer<Long, Boolean> onSent) throws InterruptedException {
        for (Long item : items) {
            boolean sent = true;
            if (wait) {
                queue.put(Optional.of(item));
            } else {
                sent = queue.offer(Optional.of(item));
            }
            onSent.accept(item, sent);
        }
        queue.put(Optional.empty()); // always waits for room: the end must not be refused
    }

    /** Takes the items in order, handing each to {@code onItem} and then spending {@code work} on it. */
    static List<Long> consume(BlockingQueue<Optional<Long>> queue, Duration work, Consumer<Long> onItem)
            throws InterruptedException {
        List<Long> values = new ArrayList<>();
        for (Optional<Long> item = queue.take(); item.isPresent(); item = queue.take()) {
            onItem.accept(item.get());
            values.add(item.get());
            Thread.sleep(work);
        }
        return values;
    }
}
// [/pattern]

public class ProducerConsumerBackpressure {
    record Input(int capacity, List<Long> items, double work, double consumerStart,
            @Json.Key("wait") boolean waitForRoom) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        BlockingQueue<Optional<Long>> queue;
        try {
            queue = new ArrayBlockingQueue<>(in.capacity());
        } catch (IllegalArgumentException refused) { // the constructor refuses a capacity below 1
            Suite.trace("error", Map.of("error", refused.getClass().getSimpleName()));
            return;
        }
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                Backpressure.produce(queue, in.items(), in.waitForRoom(),
                        (item, sent) -> Suite.trace(sent ? "sent" : "refused", Map.of("value", item)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Suite.sleepUntil(in.consumerStart());
        List<Long> values = Backpressure.consume(queue, Suite.ticks(in.work()),
                item -> Suite.trace("got", Map.of("value", item)));
        producer.join();
        Suite.trace("result", Map.of("values", values));
    }
}
