// Spawning under a limit: a Semaphore permit taken before each submit, so the caller waits.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.IntConsumer;

final class PermitSpawner {
    /**
     * Runs each task on a virtual thread of its own, at most {@code limit} at once, and waits for
     * them all. submit never waits, so the loop takes a permit first: it waits while {@code limit}
     * tasks run, and {@code spawned} is told once task {@code i} is submitted. The task gives its
     * permit back when it ends, however it ends.
     */
    static void spawnAll(List<Runnable> tasks, int limit, IntConsumer spawned)
            throws InterruptedException {
        Semaphore slots = new Semaphore(limit);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < tasks.size(); i++) {
                Runnable task = tasks.get(i);
                slots.acquire();
                executor.submit(() -> {
                    try {
                        task.run();
                    } finally {
                        slots.release();
                    }
                });
                spawned.accept(i);
            }
        } // close() waits for every task
    }
}
// [/pattern]

public class SpawnUnderLimit {
    record Input(List<Op> ops, int limit) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Runnable> tasks = in.ops().stream().<Runnable>map(spec -> () -> Suite.op(spec)).toList();
        PermitSpawner.spawnAll(tasks, in.limit(),
                i -> Suite.trace("spawned", Map.of("task", in.ops().get(i).id())));
        Suite.trace("result", Map.of("max_in_flight", Suite.maxInFlight()));
    }
}
