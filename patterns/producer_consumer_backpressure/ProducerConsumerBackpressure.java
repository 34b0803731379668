package patterns;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import suite.Json;
import suite.Suite;

public class ProducerConsumerBackpressure {
    // [pattern]
    /**
     * Puts the items on the queue, then an empty Optional as the end. With {@code wait},
     * {@code put} blocks while the queue is full; without, {@code offer} returns false, and the
     * item is refused.
     */
    static void produce(BlockingQueue<Optional<Long>> queue, List<Long> items, boolean wait)
            throws InterruptedException {
        for (Long item : items) {
            boolean sent = true;
            if (wait) {
                queue.put(Optional.of(item));
            } else {
                sent = queue.offer(Optional.of(item));
            }
            Suite.trace(sent ? "sent" : "refused", Map.of("value", item));
        }
        queue.put(Optional.empty()); // always waits for room: the end must not be refused
    }

    /** Takes the items in order, spending {@code work} on each, until the end. */
    static List<Long> consume(BlockingQueue<Optional<Long>> queue, Duration work)
            throws InterruptedException {
        List<Long> values = new ArrayList<>();
        for (Optional<Long> item = queue.take(); item.isPresent(); item = queue.take()) {
            Suite.trace("got", Map.of("value", item.get()));
            values.add(item.get());
            Thread.sleep(work);
        }
        return values;
    }
    // [/pattern]

    record Input(int capacity, List<Long> items, double work, double consumerStart,
            @Json.Key("wait") boolean waitForRoom) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        BlockingQueue<Optional<Long>> queue;
        try {
            queue = new ArrayBlockingQueue<>(in.capacity());
        } catch (IllegalArgumentException refused) { // a capacity below 1
            Suite.trace("error", Map.of("error", "capacity refused"));
            return;
        }
        Thread producer = Thread.ofVirtual().start(() -> {
            try {
                produce(queue, in.items(), in.waitForRoom());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Suite.sleepUntil(in.consumerStart());
        List<Long> values = consume(queue, Suite.ticks(in.work()));
        producer.join();
        Suite.trace("result", Map.of("values", values));
    }
}
