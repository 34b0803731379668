// A pipeline as chains of CompletableFutures, each stage on a single-threaded executor of its own.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

final class FuturePipeline {
    /**
     * Sends every item through the stages as a chain of CompletableFutures, each stage on a
     * single-threaded executor of its own: a stage takes one item at a time, in the order the
     * items reached it, while the other stages work on other items. Returns the last stage's
     * outputs in input order.
     */
    static <T> List<T> pipeline(List<T> items, List<Function<T, T>> stages) {
        List<ExecutorService> threads = stages.stream()
                .map(stage -> Executors.newFixedThreadPool(1))
                .toList();
        try {
            List<CompletableFuture<T>> outputs = new ArrayList<>();
            for (T item : items) {
                CompletableFuture<T> chain = CompletableFuture.completedFuture(item);
                for (int i = 0; i < stages.size(); i++) {
                    chain = chain.thenApplyAsync(stages.get(i), threads.get(i));
                }
                outputs.add(chain);
            }
            return outputs.stream().map(CompletableFuture::join).toList();
        } finally {
            threads.forEach(ExecutorService::close); // each waits for its queued work
        }
    }
}
// [/pattern]

public class PipelineFutures {
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

    public static void run(Json input) {
        Input in = input.as(Input.class);
        List<Long> items = in.items();
        List<Long> n = in.ticks();
        List<Long> values = FuturePipeline.pipeline(items, List.of(
                work("produced", n.get(0), x -> x),
                work("scaled", n.get(1), x -> x * 10),
                work("shifted", n.get(2), x -> x + 1)));
        Suite.trace("result", Map.of("values", values));
    }
}
