// Combinators over no operations: allOf is done at once; anyOf would never complete.
package patterns;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;

final class EmptyCombinators {
    /** Every value, in input order. allOf over nothing is complete at once: [] at once. */
    static <T> CompletableFuture<List<T>> allOf(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> futures.stream().map(CompletableFuture::join).toList());
    }

    /**
     * Completes as the first of {@code futures} to complete. anyOf over nothing never completes
     * (nothing can come first), and a get() on it would wait forever: so an empty input fails at
     * once instead.
     */
    @SuppressWarnings("unchecked")
    static <T> CompletableFuture<T> firstOf(List<CompletableFuture<T>> futures) {
        if (futures.isEmpty()) {
            var nothing = new NoSuchElementException("nothing to wait for");
            return CompletableFuture.failedFuture(nothing);
        }
        var first = CompletableFuture.anyOf(futures.toArray(new CompletableFuture<?>[0]));
        return (CompletableFuture<T>) (CompletableFuture<?>) first;
    }
}
// [/pattern]

public class EmptyInputs {
    record Input(String mode, List<Op> ops, double giveUp) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Object>> futures = in.ops().stream()
                    .map(spec -> CompletableFuture.supplyAsync(() -> Suite.op(spec), executor))
                    .toList();
            boolean all = in.mode().equals("all");
            CompletableFuture<?> wait = all
                    ? EmptyCombinators.allOf(futures)
                    : EmptyCombinators.firstOf(futures);
            try {
                Object outcome = wait.get(Suite.ticks(in.giveUp()).toNanos(), TimeUnit.NANOSECONDS);
                Suite.trace("result", Map.of(all ? "values" : "value", outcome));
            } catch (TimeoutException e) {
                // still no outcome when the caller gave up waiting
                Suite.trace("pending", Map.of());
            } catch (ExecutionException e) {
                String error = e.getCause() instanceof NoSuchElementException
                        ? "empty"
                        : Suite.label(e);
                Suite.trace("error", Map.of("error", error));
            }
        }
    }
}
