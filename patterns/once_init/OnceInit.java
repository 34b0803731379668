// Once-only lazy initialisation: every caller joins the first caller's CompletableFuture.
package patterns;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A value made by {@code init} on first use, at most once. The first caller installs a
 * CompletableFuture and runs the initializer; every caller joins that same future, so callers
 * during the initialisation wait for it and a failure is remembered like a value.
 */
final class Lazy<T> {
    private final Supplier<T> init;
    private final AtomicReference<CompletableFuture<T>> cell = new AtomicReference<>();

    Lazy(Supplier<T> init) {
        this.init = init;
    }

    T get() {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> first = cell.compareAndExchange(null, mine);
        if (first != null) {
            return first.join(); // throws CompletionException if the initializer failed
        }
        try {
            mine.complete(init.get());
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine.join();
    }
}
// [/pattern]

public class OnceInit {
    record Caller(String id, double at) {}

    record Input(Op init, List<Caller> callers) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        Lazy<Object> lazy = new Lazy<>(() -> Suite.op(in.init()));
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Caller caller : in.callers()) {
                String id = caller.id();
                callers.submit(() -> {
                    Suite.sleepUntil(caller.at());
                    try {
                        Suite.trace("got", Map.of("caller", id, "value", lazy.get()));
                    } catch (RuntimeException e) {
                        Suite.trace("error", Map.of("caller", id, "error", Suite.label(e)));
                    }
                    return null;
                });
            }
        }
    }
}
