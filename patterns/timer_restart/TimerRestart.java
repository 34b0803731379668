// A restartable timer on a ScheduledExecutorService: cancel the pending expiry, schedule anew.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer that can be restarted and waited on: {@link #awaitExpiry} returns once the timer has
 * gone off after its latest (re)start. A scheduled task cannot be moved, so a restart cancels the
 * pending one and schedules another; each schedule gives a new future, so an expiry nobody
 * waited for is never mistaken for the next one.
 */
final class RestartableTimer implements AutoCloseable {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private ScheduledFuture<?> expiry;

    RestartableTimer(Duration delay) {
        expiry = schedule(delay);
    }

    /** Makes the timer go off {@code delay} from now, whether or not it has gone off already. */
    synchronized void restart(Duration delay) {
        expiry.cancel(false); // does nothing to an expiry that has already run
        expiry = schedule(delay);
    }

    /** Waits until the timer goes off; a restart meanwhile makes it wait for the new expiry. */
    void awaitExpiry() throws InterruptedException {
        for (;;) {
            ScheduledFuture<?> current;
            synchronized (this) {
                current = expiry;
            }
            try {
                current.get();
                return;
            } catch (CancellationException restarted) {
                // restart() cancelled the expiry this was waiting for: wait for the new one
            } catch (ExecutionException e) {
                throw new AssertionError("the expiry task does nothing that can throw", e);
            }
        }
    }

    private ScheduledFuture<?> schedule(Duration delay) {
        return scheduler.schedule(() -> {}, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        scheduler.shutdownNow(); // drops a pending expiry
    }
}
// [/pattern]

public class TimerRestart {
    record Input(double timer, Op busy, double restart) {}

    /**
     * The timer of {@code timer} ticks goes off while the operation is still running; then it is
     * restarted for {@code restart} ticks and waited on.
     */
    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        try (var timer = new RestartableTimer(Suite.ticks(in.timer()))) {
            Suite.op(in.busy());
            Suite.trace("restart", Map.of());
            timer.restart(Suite.ticks(in.restart()));
            timer.awaitExpiry();
            Suite.trace("fired", Map.of());
        }
    }
}
