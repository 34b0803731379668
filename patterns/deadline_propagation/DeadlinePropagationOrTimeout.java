// Deadlines on a CompletableFuture chain with orTimeout, which interrupts nothing.
package patterns;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

final class ChainedTimeouts {
    /**
     * Runs {@code first}, then the nested call {@code second} with its own {@code inner} timeout,
     * the whole chain with the {@code deadline} timeout. orTimeout only completes its future
     * exceptionally: no running task is interrupted. A thenCompose stage already completed that
     * way does not run its function, so a nested call not yet started never starts.
     */
    static <T> CompletableFuture<List<T>> handle(
            Supplier<T> first, Supplier<T> second, Duration deadline, Duration inner, Executor executor) {
        return CompletableFuture.supplyAsync(first, executor)
                .thenCompose(a -> CompletableFuture.supplyAsync(second, executor)
                        .orTimeout(inner.toNanos(), TimeUnit.NANOSECONDS)
                        .thenApply(b -> List.of(a, b)))
                .orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
}
// [/pattern]

public class DeadlinePropagationOrTimeout {
    /**
     * One executor for the whole process, as a service keeps it, so that a step that does not
     * start is CompletableFuture's doing, not a closed executor's refusal.
     */
    private static final ExecutorService EXECUTOR = Executors.newVirtualThreadPerTaskExecutor();

    record Input(Op first, Op second, double outer, double inner) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        try {
            List<Object> values = ChainedTimeouts.handle(
                    () -> Suite.op(in.first()), () -> Suite.op(in.second()),
                    Suite.ticks(in.outer()), Suite.ticks(in.inner()), EXECUTOR).join();
            Suite.trace("result", Map.of("values", values));
        } catch (CompletionException e) {
            boolean timedOut = e.getCause() instanceof TimeoutException;
            Suite.trace("error", Map.of("error", timedOut ? "timeout" : Suite.label(e)));
        }
    }
}
