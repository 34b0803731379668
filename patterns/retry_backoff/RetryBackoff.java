// Retry with exponential backoff and jitter, waiting in a delayedExecutor rather than a thread.
package patterns;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import suite.Json;
import suite.Suite;

// [pattern]
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

final class Retry {
    /**
     * The wait before retry n (n = 1 after the first failure) is base * factor^(n-1), scaled by
     * a random fraction in [0, 1) for full jitter ({@code ThreadLocalRandom.current()::nextDouble})
     * or by 1 without jitter ({@code () -> 1.0}).
     */
    record Backoff(int maxAttempts, Duration base, double factor, DoubleSupplier jitter) {
        Duration delayBeforeRetry(int n) {
            double scale = Math.pow(factor, n - 1) * jitter.getAsDouble();
            return Duration.ofNanos(Math.round(base.toNanos() * scale));
        }
    }

    /**
     * Calls attempt(1), attempt(2), ... until one succeeds or maxAttempts have failed; then the
     * future fails with the last error. No thread is held while waiting: delayedExecutor starts
     * the next attempt when the delay is over.
     */
    static <T> CompletableFuture<T> retry(IntFunction<CompletableFuture<T>> attempt,
            Backoff backoff) {
        return attemptFrom(1, attempt, backoff);
    }

    private static <T> CompletableFuture<T> attemptFrom(int n,
            IntFunction<CompletableFuture<T>> attempt, Backoff backoff) {
        return attempt.apply(n).exceptionallyCompose(error -> {
            if (n >= backoff.maxAttempts()) {
                return CompletableFuture.failedFuture(error);
            }
            Executor later = CompletableFuture.delayedExecutor(
                    backoff.delayBeforeRetry(n).toNanos(), TimeUnit.NANOSECONDS);
            return CompletableFuture.supplyAsync(() -> n + 1, later)
                    .thenCompose(next -> attemptFrom(next, attempt, backoff));
        });
    }
}
// [/pattern]

public class RetryBackoff {
    /** An attempt's outcome: a value or an error label. */
    record Outcome(Optional<Object> value, Optional<String> error) {}

    record Input(int maxAttempts, double base, double factor, Optional<List<Double>> jitter,
            List<Outcome> attempts) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        // Each attempt takes no time; its outcome is given by the scenario.
        AtomicInteger attempts = new AtomicInteger();
        IntFunction<CompletableFuture<Object>> attempt = n -> {
            attempts.set(n);
            Suite.trace("attempt", Map.of("n", n));
            Outcome outcome = in.attempts().get(n - 1);
            if (outcome.error().isPresent()) {
                return CompletableFuture.failedFuture(new Suite.OpException(outcome.error().get()));
            }
            return CompletableFuture.completedFuture(outcome.value().orElse(null));
        };
        // The scenario supplies the "random" fractions, so the schedule is deterministic.
        DoubleSupplier jitter = () -> 1.0;
        if (in.jitter().isPresent()) {
            Iterator<Double> fractions = in.jitter().get().iterator();
            jitter = fractions::next;
        }
        var backoff = new Retry.Backoff(in.maxAttempts(), Suite.ticks(in.base()), in.factor(), jitter);
        try {
            Object value = Retry.retry(attempt, backoff).join();
            Suite.trace("result", Map.of("value", value, "attempts", attempts.get()));
        } catch (CompletionException e) {
            Suite.trace("error", Map.of("error", Suite.label(e), "attempts", attempts.get()));
        }
    }
}
