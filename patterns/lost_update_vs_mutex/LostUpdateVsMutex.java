package patterns;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import suite.Json;
import suite.Suite;

public class LostUpdateVsMutex {
    // [pattern]
    /**
     * A counter whose increment waits between its read and its write (a round trip). The lock is
     * held across that wait, so no other increment can read until this one has written.
     */
    static final class Counter {
        private final ReentrantLock lock = new ReentrantLock();
        private int value;

        void increment(Duration roundTrip) throws InterruptedException {
            lock.lock();
            try {
                int seen = value;
                Suite.trace("read", Map.of("value", seen));
                Thread.sleep(roundTrip);
                value = seen + 1;
                Suite.trace("write", Map.of("value", value));
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

    record Input(int workers, double hold) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        Counter counter = new Counter();
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
