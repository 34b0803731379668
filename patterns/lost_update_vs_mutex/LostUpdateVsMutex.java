// A read-wait-write increment made safe by holding a ReentrantLock across the wait.
package patterns;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import suite.Json;
import suite.Suite;

// [pattern]
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * A counter whose increment waits between its read and its write (a round trip). The lock is
 * held across that wait, so no other increment can read until this one has written.
 * {@code onStep} sees each read and write, with the value read or written.
 */
final class Counter {
    private final ReentrantLock lock = new ReentrantLock();
    private final BiConsumer<String, Integer> onStep;
    private int value;

    Counter(BiConsumer<String, Integer> onStep) {
        this.onStep = onStep;
    }

    void increment(Duration roundTrip) throws InterruptedException {
        lock.lock();
        try {
            int seen = value;
            onStep.accept("read", seen);
            Thread.sleep(roundTrip);
            value = seen + 1;
            onStep.accept("write", value);
        } finally {
            lock.unlock();
        }
    }

    int value() {
        lock.lock();
        try {
            return value;
        } finally {
            lock.unlock();
        }
    }
}
// [/pattern]

public class LostUpdateVsMutex {
    record Input(int workers, double hold) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        Counter counter = new Counter((step, value) -> Suite.trace(step, Map.of("value", value)));
        Duration hold = Suite.ticks(in.hold());
        ExecutorService pool = Executors.newCachedThreadPool();
        for (int i = 0; i < in.workers(); i++) {
            pool.submit(() -> {
                counter.increment(hold);
                return null;
            });
        }
        pool.shutdown(); // no new tasks; the submitted ones run on
        if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("increments did not finish");
        }
        Suite.trace("result", Map.of("count", counter.value()));
    }
}
