// A fair Semaphore tried with the untimed tryAcquire(n): it takes a free permit ahead of the queue.
package patterns;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/** A pool of permits whose waiting callers are served in arrival order, but not its try. */
final class UntimedTryPermits {
    /** The permits are not free. */
    static final class Refused extends Exception {
        Refused() {
            super("permits not free");
        }
    }

    // Fair: acquire() queues behind the threads already waiting, even when the permits it asks
    // for are free. The default, non-fair Semaphore lets it take them ahead of the queue.
    private final Semaphore permits;

    UntimedTryPermits(int capacity) {
        permits = new Semaphore(capacity, true);
    }

    /** Waits for n permits behind the earlier callers, runs the task, then gives them back. */
    <T> T withPermits(int n, Callable<T> task) throws Exception {
        permits.acquire(n);
        try {
            return task.call();
        } finally {
            permits.release(n);
        }
    }

    /**
     * Runs the task if n permits are free, whoever is waiting for them; throws Refused otherwise.
     * The untimed tryAcquire(n) ignores fairness: it takes free permits even from a fair
     * semaphore, ahead of the threads queued for them (tryAcquire(n, 0, SECONDS) does not).
     */
    <T> T tryWithPermits(int n, Callable<T> task) throws Exception {
        if (!permits.tryAcquire(n)) {
            throw new Refused();
        }
        try {
            return task.call();
        } finally {
            permits.release(n);
        }
    }
}
// [/pattern]

public class SemaphoreFairnessUntimed {
    /**
     * A caller: at tick {@code at} it asks for {@code take} permits (without waiting if
     * {@code nowait}) and holds them {@code hold} ticks.
     */
    record Caller(String who, double at, int take, double hold, Optional<Boolean> nowait) {}

    record Input(int capacity, List<Caller> callers) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        UntimedTryPermits permits = new UntimedTryPermits(in.capacity());
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Caller caller : in.callers()) {
                Map<String, String> who = Map.of("who", caller.who());
                Callable<Void> hold = () -> {
                    Suite.trace("acquired", who);
                    Thread.sleep(Suite.ticks(caller.hold()));
                    Suite.trace("released", who);
                    return null;
                };
                callers.submit(() -> {
                    Suite.sleepUntil(caller.at());
                    if (!caller.nowait().orElse(false)) {
                        return permits.withPermits(caller.take(), hold);
                    }
                    try {
                        return permits.tryWithPermits(caller.take(), hold);
                    } catch (UntimedTryPermits.Refused e) {
                        Suite.trace("refused", who);
                        return null;
                    }
                });
            }
        }
    }
}
