// Fan-in: producers on virtual threads feed one ArrayBlockingQueue that the caller drains.
package patterns;

import java.util.ArrayList;
import java.util.Map;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

final class Merge {
    /** Where a source sends its values; sending may block. */
    interface Emitter<T> {
        void emit(T value) throws InterruptedException;
    }

    /** A source of values: sends them to {@code out}, then returns. */
    interface Source<T> {
        void produce(Emitter<T> out) throws InterruptedException;
    }

    /**
     * Runs every source on its own virtual thread and hands their values to {@code sink} as they
     * arrive, on the caller's thread; returns once every source has ended. Each source's thread
     * puts an empty Optional last, so the caller counts the sources that have ended.
     */
    static <T> void merge(List<Source<T>> sources, Consumer<T> sink) throws InterruptedException {
        BlockingQueue<Optional<T>> merged = new ArrayBlockingQueue<>(sources.size() + 1);
        for (Source<T> source : sources) {
            Thread.ofVirtual().start(() -> {
                try {
                    source.produce(value -> merged.put(Optional.of(value)));
                    merged.put(Optional.empty());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (int live = sources.size(); live > 0; ) {
            Optional<T> next = merged.take();
            if (next.isEmpty()) {
                live--;
            } else {
                sink.accept(next.get());
            }
        }
    }
}
// [/pattern]

public class FanIn {
    /** A producer: sends its values every {@code every} ticks, then ends. */
    record Producer(String id, double every, List<Object> values) {}

    record Input(List<Producer> producers) {}

    static Merge.Source<Object> source(Producer producer) {
        return out -> {
            List<Object> values = producer.values();
            for (int k = 0; k < values.size(); k++) {
                Suite.sleepUntil((k + 1) * producer.every());
                out.emit(values.get(k));
            }
            Suite.trace("ended", Map.of("producer", producer.id()));
        };
    }

    public static void run(Json input) throws InterruptedException {
        List<Merge.Source<Object>> sources =
                input.as(Input.class).producers().stream().map(FanIn::source).toList();
        List<Object> values = new ArrayList<>();
        Merge.merge(sources, value -> {
            Suite.trace("received", Map.of("value", value));
            values.add(value);
        });
        Suite.trace("end", Map.of("values", values));
    }
}
