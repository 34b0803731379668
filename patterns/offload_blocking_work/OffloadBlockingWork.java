// Offloading blocking work to a pool, so that a single-threaded loop keeps running.
package patterns;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

final class Offload {
    /**
     * Runs blocking work on {@code pool} and completes on {@code loop}, a single-threaded
     * executor that plays the event loop: the loop stays free for its other tasks while the work
     * runs, and only the continuation comes back to it.
     */
    static CompletableFuture<Void> offload(Runnable work, ExecutorService pool, Executor loop) {
        return CompletableFuture.runAsync(work, pool).thenRunAsync(() -> {}, loop);
    }
}
// [/pattern]

public class OffloadBlockingWork {
    record Input(int beats, double work, boolean offload) {}

    /** CPU-bound work: spins until {@code System.nanoTime()} reaches {@code deadline}. */
    static void busyUntil(long deadline) {
        while (System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }

    public static void run(Json input) {
        Input in = input.as(Input.class);
        int beats = in.beats();
        long start = System.nanoTime(); // beats are due at ticks counted from here
        long deadline = start + Suite.ticks(in.work()).toNanos();
        Runnable work = () -> busyUntil(deadline);
        try (ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
                ExecutorService pool = Executors.newCachedThreadPool()) {
            for (int n = 1; n <= beats; n++) {
                int beat = n;
                long delay = start + Suite.ticks(n).toNanos() - System.nanoTime();
                loop.schedule(() -> Suite.trace("beat", Map.of("n", beat)), delay, TimeUnit.NANOSECONDS);
            }
            CompletableFuture<Void> done = in.offload()
                    ? Offload.offload(work, pool, loop)
                    : CompletableFuture.runAsync(work, loop); // on the loop: beats wait for it
            done.join();
            Suite.trace("work_done", Map.of());
        } // close() waits for the beats still scheduled
    }
}
