// A circuit breaker guarded by a ReentrantLock: it opens after repeated failures, then probes.
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
import java.util.concurrent.Callable;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * Opens after {@code threshold} consecutive failures and then rejects calls at once. The first
 * call after {@code cooldown} goes through as a probe (HALF_OPEN): its success closes the
 * breaker, its failure opens it for another cooldown. The lock guards the state only, never
 * the call itself.
 */
final class Breaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    /** Thrown by {@link #call} instead of calling through. */
    static final class OpenException extends RuntimeException {
        OpenException() {
            super("circuit breaker is open", null, false, false);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final int threshold;
    private final Duration cooldown;
    private final BiConsumer<State, State> onTransition;
    private State state = State.CLOSED;
    private int failures; // consecutive, while CLOSED
    private long openedAt; // System.nanoTime() when it last opened

    Breaker(int threshold, Duration cooldown, BiConsumer<State, State> onTransition) {
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.onTransition = onTransition;
    }

    <T> T call(Callable<T> operation) throws Exception {
        boolean probe = admit();
        T result;
        try {
            result = operation.call();
        } catch (Exception e) {
            record(probe, false);
            throw e;
        }
        record(probe, true);
        return result;
    }

    /** Lets the call through (true if it is the probe) or throws OpenException. */
    private boolean admit() {
        lock.lock();
        try {
            if (state == State.OPEN && System.nanoTime() - openedAt >= cooldown.toNanos()) {
                transition(State.HALF_OPEN); // this call is the probe
                return true;
            } else if (state != State.CLOSED) {
                throw new OpenException(); // still cooling down, or a probe is in flight
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private void record(boolean probe, boolean success) {
        lock.lock();
        try {
            if (probe) { // only the probe's outcome decides a HALF_OPEN breaker
                transition(success ? State.CLOSED : State.OPEN);
            } else if (state == State.CLOSED) {
                failures = success ? 0 : failures + 1;
                if (failures >= threshold) {
                    transition(State.OPEN);
                }
            } // else: let in before the breaker opened, its outcome no longer counts
        } finally {
            lock.unlock();
        }
    }

    private void transition(State to) {
        State from = state;
        state = to;
        failures = 0;
        if (to == State.OPEN) {
            openedAt = System.nanoTime();
        }
        onTransition.accept(from, to);
    }
}
// [/pattern]

public class CircuitBreaker {
    /** A call at its tick: lasts {@code ticks} (none by default), then fails or returns. */
    record Call(double at, Optional<Double> ticks, Optional<Object> value, Optional<String> error) {}

    record Input(int threshold, double cooldown, List<Call> calls) {}

    public static void run(Json input) throws Exception {
        Input in = input.as(Input.class);
        var breaker = new Breaker(in.threshold(), Suite.ticks(in.cooldown()),
                (from, to) -> Suite.trace("state", Map.of("from", from, "to", to)));
        List<Call> calls = in.calls();
        // Each call is made at its own tick, whether or not earlier ones have returned.
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < calls.size(); i++) {
                int n = i + 1;
                Call call = calls.get(i);
                callers.submit(() -> {
                    Suite.sleepUntil(call.at());
                    try {
                        breaker.call(() -> protectedCall(n, call));
                    } catch (Breaker.OpenException e) {
                        Suite.trace("rejected", Map.of("call", n));
                    } catch (Suite.OpException e) {
                        // the call traced its own failure
                    }
                    return null;
                });
            }
        } // close() waits for every call
    }

    /** Call {@code n}, the protected operation: its outcome is given by the scenario. */
    private static Object protectedCall(int n, Call call) throws InterruptedException {
        if (call.ticks().isPresent()) {
            Suite.sleepUntil(call.at() + call.ticks().get());
        }
        if (call.error().isPresent()) {
            String label = call.error().get();
            Suite.trace("fail", Map.of("call", n, "error", label));
            throw new Suite.OpException(label);
        }
        Object value = call.value().orElse(null);
        Suite.trace("ok", Map.of("call", n, "value", value));
        return value;
    }
}
