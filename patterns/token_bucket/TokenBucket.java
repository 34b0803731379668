// A token bucket: bursts up to its capacity, then a token per period; waiters reserve ahead.
package patterns;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;

// [pattern]
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** At most {@code capacity} tokens, one more every {@code every}; starts full. */
final class Bucket {
    private final double capacity;
    private final long everyNanos;
    private double tokens; // below zero when reserved ahead
    private long stamp = System.nanoTime();

    Bucket(int capacity, Duration every) {
        this.capacity = capacity;
        this.everyNanos = every.toNanos();
        this.tokens = capacity;
    }

    private long refill() {
        long now = System.nanoTime();
        tokens = Math.min(capacity, tokens + (double) (now - stamp) / everyNanos);
        stamp = now;
        return now;
    }

    synchronized boolean tryAcquire() {
        refill();
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /**
     * Waits for a token. Throws TimeoutException at once, taking nothing, if the deadline
     * (System.nanoTime; null for none) has passed or the token would come after it.
     */
    void acquire(Long deadline) throws TimeoutException, InterruptedException {
        long due;
        synchronized (this) {
            long now = refill();
            due = now + (long) (Math.max(0, 1 - tokens) * everyNanos);
            if (deadline != null && (deadline - now <= 0 || due - deadline > 0)) {
                throw new TimeoutException("the token would come after the deadline");
            }
            tokens -= 1; // reserved now, so later callers queue behind this one
        } // the lock is released before waiting
        Thread.sleep(Duration.ofNanos(Math.max(0, due - System.nanoTime())));
    }
}
// [/pattern]

public class TokenBucket {
    /** A call at its tick; in wait mode it gives up at its deadline (a tick), if it has one. */
    record Call(String id, double at, Optional<Double> deadline) {}

    record Input(int capacity, double every, String mode, List<Call> calls) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        Bucket bucket = new Bucket(in.capacity(), Suite.ticks(in.every()));
        if (in.mode().equals("try")) {
            for (Call call : in.calls()) {
                Suite.sleepUntil(call.at());
                Suite.trace(bucket.tryAcquire() ? "allow" : "deny", Map.of("call", call.id()));
            }
            return;
        }
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Call call : in.calls()) {
                callers.submit(() -> {
                    String id = call.id();
                    double at = call.at();
                    Suite.sleepUntil(at);
                    try {
                        Long deadline = null;
                        if (call.deadline().isPresent()) {
                            double left = call.deadline().get() - at;
                            deadline = System.nanoTime() + Suite.ticks(left).toNanos();
                        }
                        bucket.acquire(deadline);
                        Suite.trace("proceed", Map.of("call", id));
                    } catch (TimeoutException e) {
                        Suite.trace("error", Map.of("call", id, "error", "deadline"));
                    }
                    return null;
                });
            }
        }
    }
}
