// Select with CompletableFuture.anyOf: the first of several sources to complete is taken.
package patterns;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.Map;
import java.util.concurrent.CompletableFuture;

final class Select {
    /** The source taken, with its value or its error; a null name is the fallback. */
    record Taken<T>(String name, T value, Throwable error) {}

    /**
     * Completes as the first of {@code sources} completes, with its name and its value or
     * error (the first to complete wins even when it failed). Of futures already complete,
     * anyOf takes the first in order. It cancels nothing. With no source, anyOf() never
     * completes: {@link #firstOrElse} returns a fallback instead.
     */
    @SuppressWarnings("unchecked")
    static <T> CompletableFuture<Taken<T>> first(Map<String, CompletableFuture<T>> sources) {
        CompletableFuture<?>[] outcomes = sources.entrySet().stream()
                .map(e -> e.getValue().handle((value, error) -> new Taken<>(e.getKey(), value, error)))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.anyOf(outcomes).thenApply(taken -> (Taken<T>) taken);
    }

    static <T> CompletableFuture<Taken<T>> firstOrElse(Map<String, CompletableFuture<T>> sources, T fallback) {
        return sources.isEmpty() ? CompletableFuture.completedFuture(new Taken<>(null, fallback, null)) : first(sources);
    }
}
// [/pattern]

public class SelectFirst {
    record Source(int at, Optional<Integer> value, Optional<String> error, Optional<Boolean> disabled) {}

    record Input(
            Source a, Source b, Optional<Integer> fallback, Optional<Integer> rounds, Optional<Integer> deadline) {}

    /** A source: completed at its tick (already at tick 0) with its value or error. */
    static CompletableFuture<Integer> deliver(Source source) {
        var future = new CompletableFuture<Integer>();
        Runnable settle = () -> {
            if (source.error().isPresent()) future.completeExceptionally(new Suite.OpException(source.error().get()));
            else future.complete(source.value().orElse(null));
        };
        if (source.at() == 0) {
            settle.run();
        } else {
            Thread.ofVirtual().start(() -> {
                try {
                    Suite.sleepUntil(source.at());
                    settle.run();
                } catch (InterruptedException e) {
                    future.cancel(false);
                }
            });
        }
        return future;
    }

    /** A branch with a false precondition is one left out of the wait. */
    static Map<String, CompletableFuture<Integer>> sources(Input in) {
        var sources = new LinkedHashMap<String, CompletableFuture<Integer>>();
        for (var entry : List.of(Map.entry("a", in.a()), Map.entry("b", in.b()))) {
            if (!entry.getValue().disabled().orElse(false)) sources.put(entry.getKey(), deliver(entry.getValue()));
        }
        return sources;
    }

    public static void run(Json input) throws Exception {
        Input in = input.as(Input.class);
        if (in.rounds().isPresent()) { // the same select again and again: which sources ever won
            var winners = new TreeSet<String>();
            for (int i = 0; i < in.rounds().get(); i++) winners.add(Select.first(sources(in)).join().name());
            Suite.trace("result", Map.of("winners", List.copyOf(winners)));
            return;
        }
        var future = in.fallback().isPresent()
                ? Select.firstOrElse(sources(in), in.fallback().get())
                : Select.first(sources(in));
        Select.Taken<Integer> taken;
        try {
            taken = in.deadline().isEmpty()
                    ? future.join()
                    : future.get(Suite.ticks(in.deadline().get()).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            Suite.trace("error", Map.of("error", "timeout"));
            return;
        }
        if (taken.name() == null) Suite.trace("fallback", Map.of("value", taken.value()));
        else if (taken.error() != null)
            Suite.trace("error", Map.of("source", taken.name(), "error", Suite.label(taken.error())));
        else Suite.trace("result", Map.of("source", taken.name(), "value", taken.value()));
    }
}
