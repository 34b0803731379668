// Fan-out/fan-in on a cached thread pool: every outcome is collected, failures included.
package patterns;

import java.util.HashMap;
import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

final class FanOut {
    /** What a task gave: its value, or the error it failed with (and a null value). */
    record Outcome<T>(T value, Throwable error) {}

    /**
     * Runs every task at once, each on its own pool thread, and returns every outcome in task
     * order once the slowest is done. A failure is collected like a value and does not stop the
     * others; {@code onOutcome} sees each as it arrives.
     */
    static <T> List<Outcome<T>> fanOutFanIn(List<Supplier<T>> tasks, Consumer<Outcome<T>> onOutcome) {
        try (ExecutorService pool = Executors.newCachedThreadPool()) {
            List<CompletableFuture<Outcome<T>>> outcomes = tasks.stream()
                    .map(task -> CompletableFuture.supplyAsync(task, pool)
                            .handle(Outcome<T>::new)
                            .whenComplete((outcome, never) -> onOutcome.accept(outcome)))
                    .toList();
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
            return outcomes.stream().map(CompletableFuture::join).toList();
        }
    }
}
// [/pattern]

public class FanOutFanIn {
    record Input(List<Op> items) {}

    public static void run(Json input) {
        List<Supplier<Object>> tasks = input.as(Input.class).items().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        var outcomes = FanOut.fanOutFanIn(tasks, outcome -> Suite.trace("collected", fields(outcome)))
                .stream()
                .map(FanOutFanIn::fields)
                .toList();
        Suite.trace("result", Map.of("outcomes", outcomes));
    }

    /** {value} or {error: label}; a HashMap, as the value may be null. */
    static Map<String, Object> fields(FanOut.Outcome<Object> outcome) {
        Map<String, Object> fields = new HashMap<>();
        if (outcome.error() != null) {
            fields.put("error", Suite.label(outcome.error()));
        } else {
            fields.put("value", outcome.value());
        }
        return fields;
    }
}
