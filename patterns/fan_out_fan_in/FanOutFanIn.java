package patterns;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

public class FanOutFanIn {
    // [pattern]
    /**
     * Runs every task at once, each on its own pool thread, and returns every outcome in task
     * order once the slowest is done: {@code {value}} or {@code {error}}. A failure is collected
     * like a value and does not stop the others; {@code onOutcome} sees each as it arrives.
     */
    static <T> List<Map<String, Object>> fanOutFanIn(
            List<Supplier<T>> tasks, Consumer<Map<String, Object>> onOutcome) {
        try (ExecutorService pool = Executors.newCachedThreadPool()) {
            List<CompletableFuture<Map<String, Object>>> outcomes = tasks.stream()
                    .map(task -> CompletableFuture.supplyAsync(task, pool)
                            .handle((value, error) -> outcome(value, error))
                            .whenComplete((outcome, never) -> onOutcome.accept(outcome)))
                    .toList();
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
            return outcomes.stream().map(CompletableFuture::join).toList();
        }
    }

    static Map<String, Object> outcome(Object value, Throwable error) {
        Map<String, Object> outcome = new HashMap<>();
        if (error != null) {
            outcome.put("error", Suite.label(error));
        } else {
            outcome.put("value", value);
        }
        return outcome;
    }
    // [/pattern]

    record Input(List<Op> items) {}

    public static void run(Json input) {
        List<Supplier<Object>> tasks = input.as(Input.class).items().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        var outcomes = fanOutFanIn(tasks, outcome -> Suite.trace("collected", outcome));
        Suite.trace("result", Map.of("outcomes", outcomes));
    }
}
