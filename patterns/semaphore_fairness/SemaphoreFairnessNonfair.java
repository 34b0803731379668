// The default, non-fair Semaphore: a late caller takes a free permit ahead of the queued waiter.
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

/** A pool of permits, not fair: free permits go to whoever asks first, queued or not. */
final class NonfairPermits {
    /** The permits are not free. */
    static final class Refused extends Exception {
        Refused() {
            super("permits not free");
        }
    }

    // Non-fair (the default): acquire() and every tryAcquire take free permits at once, ahead of
    // the threads already queued; only a caller that has to wait joins the queue.
    private final Semaphore permits;

    NonfairPermits(int capacity) {
        permits = new Semaphore(capacity);
    }

    /** Waits for n permits, runs the task, then gives them back. */
    <T> T withPermits(int n, Callable<T> task) throws Exception {
        permits.acquire(n);
        try {
            return task.call();
        } finally {
            permits.release(n);
        }
    }

    /**
     * Runs the task if n permits are free; throws Refused otherwise. On a non-fair semaphore the
     * timed tryAcquire barges too: it takes free permits ahead of the queued threads.
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

public class SemaphoreFairnessNonfair {
    /**
     * A caller: at tick {@code at} it asks for {@code take} permits (without waiting if
     * {@code nowait}) and holds them {@code hold} ticks.
     */
    record Caller(String who, double at, int take, double hold, Optional<Boolean> nowait) {}

    record Input(int capacity, List<Caller> callers) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        NonfairPermits permits = new NonfairPermits(in.capacity());
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
                    } catch (NonfairPermits.Refused e) {
                        Suite.trace("refused", who);
                        return null;
                    }
                });
            }
        }
    }
}
