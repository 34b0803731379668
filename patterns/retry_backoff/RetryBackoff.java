package patterns;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;

import suite.Json;
import suite.Suite;

public class RetryBackoff {
    // [pattern]
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
    // [/pattern]

    public static void run(Json input) {
        // Each attempt takes no time; its outcome is given by the scenario.
        List<Json> outcomes = input.get("attempts").list();
        AtomicInteger attempts = new AtomicInteger();
        IntFunction<CompletableFuture<Object>> attempt = n -> {
            attempts.set(n);
            Suite.trace("attempt", Map.of("n", n));
            Json outcome = outcomes.get(n - 1);
            if (outcome.has("error")) {
                String label = outcome.get("error").string();
                return CompletableFuture.failedFuture(new Suite.OpException(label));
            }
            return CompletableFuture.completedFuture(outcome.get("value").value());
        };
        // The scenario supplies the "random" fractions, so the schedule is deterministic.
        DoubleSupplier jitter = () -> 1.0;
        if (input.has("jitter")) {
            Iterator<Json> fractions = input.get("jitter").list().iterator();
            jitter = () -> fractions.next().asDouble();
        }
        Backoff backoff = new Backoff(input.get("max_attempts").asInt(),
                Suite.ticks(input.get("base").asDouble()), input.get("factor").asDouble(), jitter);
        try {
            Object value = retry(attempt, backoff).join();
            Suite.trace("result", Map.of("value", value, "attempts", attempts.get()));
        } catch (CompletionException e) {
            Suite.trace("error", Map.of("error", Suite.label(e), "attempts", attempts.get()));
        }
    }
}
