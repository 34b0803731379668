// All settled with CompletableFuture: handle() turns every outcome into a value for allOf.
package patterns;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.CompletableFuture;

final class Settled {
    sealed interface Outcome<T> {
        record Success<T>(T value) implements Outcome<T> {}

        record Failure<T>(Throwable error) implements Outcome<T> {}
    }

    /** Waits for every future and reports each outcome, success or failure, in input order. */
    static <T> CompletableFuture<List<Outcome<T>>> allSettled(List<CompletableFuture<T>> futures) {
        // handle() turns each result into an Outcome, so no future given to allOf fails.
        List<CompletableFuture<Outcome<T>>> outcomes = futures.stream()
                .map(future -> future.<Outcome<T>>handle((value, error) -> error == null
                        ? new Outcome.Success<>(value)
                        : new Outcome.Failure<>(error)))
                .toList();
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
    }
}
// [/pattern]

public class AllSettled {
    record Input(List<Op> ops) {}

    public static void run(Json input) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Object>> futures = input.as(Input.class).ops().stream()
                    .map(spec -> CompletableFuture.supplyAsync(() -> Suite.op(spec), executor))
                    .toList();
            List<Map<String, Object>> outcomes = Settled.allSettled(futures).join().stream()
                    .map(outcome -> switch (outcome) {
                        case Settled.Outcome.Success<Object>(Object value) -> Map.of("value", value);
                        case Settled.Outcome.Failure<Object>(Throwable error) ->
                                Map.<String, Object>of("error", Suite.label(error));
                    })
                    .toList();
            Suite.trace("result", Map.of("outcomes", outcomes));
        }
    }
}
