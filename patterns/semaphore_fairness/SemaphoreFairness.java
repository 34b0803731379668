// Fair permits with a Semaphore made fair: waiters in arrival order, a try that does not barge.
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
import java.util.concurrent.TimeUnit;

/** A pool of permits served in arrival order; a caller may take several at once. */
final class FairPermits {
    /** The permits are not free, or others are already waiting for them. */
    static final class Refused extends Exception {
        Refused() {
            super("permits not free");
        }
    }

    // Fair: acquire() queues behind the threads already waiting, even when the permits it asks
    // for are free. The default, non-fair Semaphore lets it take them ahead of the queue.
    private final Semaphore permits;

    FairPermits(int capacity) {
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
     * Runs the task only if n permits are free and nobody is waiting; throws Refused otherwise.
     * Only the timed tryAcquire honours fairness: the untimed tryAcquire(n) takes free permits
     * even from a fair semaphore, ahead of the threads queued for them.
     */
    <T> T tryWithPermits(int n, Callable<T> task) throws Exception {
        if (!permits.tryAcquire(n, 0, TimeUnit.SECONDS)) {
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

public class SemaphoreFairness {
    /**
     * A caller: at tick {@code at} it asks for {@code take} permits (without waiting if
     * {@code nowait}) and holds them {@code hold} ticks.
     */
    record Caller(String who, double at, int take, double hold, Optional<Boolean> nowait) {}

    record Input(int capacity, List<Caller> callers) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        FairPermits permits = new FairPermits(in.capacity());
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
                    } catch (FairPermits.Refused e) {
                        Suite.trace("refused", who);
                        return null;
                    }
                });
            }
        }
    }
}
