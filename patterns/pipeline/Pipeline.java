// A pipeline of stages on virtual threads, handing items on through SynchronousQueues.
package patterns;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.function.Function;

final class Stages {
    /**
     * Starts a stage on {@code threads}: it applies {@code f} to every item taken from {@code
     * inbox}, in order, while the stages around it work too. An empty Optional is the end of the
     * stream: the stage passes it on and stops, so closing the source ends every stage in turn.
     */
    static <A, B> BlockingQueue<Optional<B>> stage(
            ExecutorService threads, BlockingQueue<Optional<A>> inbox, Function<A, B> f) {
        BlockingQueue<Optional<B>> outbox = new SynchronousQueue<>(); // a hand-off: no buffer
        threads.submit(() -> {
            for (Optional<A> item = inbox.take(); item.isPresent(); item = inbox.take()) {
                outbox.put(Optional.of(f.apply(item.get())));
            }
            outbox.put(Optional.empty());
            return null;
        });
        return outbox;
    }

    /** Starts a source on {@code threads}: it sends the items, then the end of the stream. */
    static <T> BlockingQueue<Optional<T>> source(ExecutorService threads, List<T> items) {
        BlockingQueue<Optional<T>> outbox = new SynchronousQueue<>();
        threads.submit(() -> {
            for (T item : items) {
                outbox.put(Optional.of(item));
            }
            outbox.put(Optional.empty());
            return null;
        });
        return outbox;
    }
}
// [/pattern]

public class Pipeline {
    /** The items, and how many ticks each of the three stages spends on one. */
    record Input(List<Long> items, List<Long> ticks) {}

    /** A stage's work: {@code n} ticks, then its output traced as {@code ev}. */
    static Function<Long, Long> work(String ev, long n, Function<Long, Long> f) {
        return value -> {
            try {
                Thread.sleep(Suite.ticks(n));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            Suite.trace(ev, Map.of("value", f.apply(value)));
            return f.apply(value);
        };
    }

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Long> items = in.items();
        List<Long> n = in.ticks();
        List<Long> values = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var source = Stages.source(threads, items);
            var produced = Stages.stage(threads, source, work("produced", n.get(0), x -> x));
            var scaled = Stages.stage(threads, produced, work("scaled", n.get(1), x -> x * 10));
            var shifted = Stages.stage(threads, scaled, work("shifted", n.get(2), x -> x + 1));
            for (Optional<Long> v = shifted.take(); v.isPresent(); v = shifted.take()) {
                values.add(v.get());
            }
        }
        Suite.trace("result", Map.of("values", values));
    }
}
