package suite;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The helper the snippets' adapters use: {@link #trace}, {@link #ticks}, {@link #sleepUntil},
 * {@link #op}, {@link #maxInFlight}, {@link #label}, {@link #shape}. See languages/README.md for the
 * contract.
 *
 * <p>{@link #op} throws only unchecked exceptions ({@link OpException} for a failure, the JDK's
 * {@link CancellationException} when interrupted), so it can be called from a {@code Supplier}
 * ({@code CompletableFuture.supplyAsync}) as well as from a {@code Callable}.
 */
public final class Suite {
    private Suite() {
    }

    /**
     * A simulated operation: {@code {"id": "a", "ticks": 2, "value": 1}} succeeds with its value
     * after its ticks, {@code {"id": "b", "ticks": 1, "error": "boom"}} fails with its label.
     */
    public record Op(String id, double ticks, Optional<Object> value, Optional<String> error) {
        /** An operation that succeeds with {@code value}. */
        public Op(String id, double ticks, Object value) {
            this(id, ticks, Optional.ofNullable(value), Optional.empty());
        }
    }

    /** The failure of a simulated operation, carrying its scenario label ({@code boom}). */
    public static final class OpException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String label;

        public OpException(String label) {
            super(label, null, false, false);
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One request: its id, clock and counters. Ops keep the scenario they started in. */
    private static final class Scenario {
        final long id;
        final long startNanos = System.nanoTime();
        final double tickMs;
        final boolean muted; // a warm-up run: traces are formatted but not written
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        boolean closed; // guarded by LOCK: its end line is written, later traces are late

        Scenario(long id, double tickMs, boolean muted) {
            this.id = id;
            this.tickMs = tickMs;
            this.muted = muted;
        }

        long tickNanos(double n) {
            return Math.round(n * tickMs * 1_000_000.0);
        }
    }

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final OutputStream OUT = new FileOutputStream(FileDescriptor.out); // LOCK
    private static volatile Scenario current = new Scenario(0, 50.0, true);

    // -- for adapters -----------------------------------------------------------------------------

    /** Writes {@code {"id", "t", "ev", "fields"}} as one flushed line, stamped under one lock. */
    public static void trace(String ev, Map<String, ?> fields) {
        trace(current, ev, fields);
    }

    /** The duration of {@code n} ticks. */
    public static Duration ticks(double n) {
        return Duration.ofNanos(current.tickNanos(n));
    }

    /** Waits until {@code tick} ticks after the scenario started (no drift across calls). */
    public static void sleepUntil(double tick) throws InterruptedException {
        Scenario s = current;
        sleepUntilNanos(s.startNanos + s.tickNanos(tick));
    }

    /**
     * Runs a simulated operation: traces {@code start}, waits its ticks, then traces
     * {@code succeed} and returns its value, or traces {@code fail} and throws
     * {@link OpException}. When its thread is interrupted it traces {@code cancelled}, keeps the
     * interrupt status and throws {@link CancellationException}.
     */
    public static Object op(Op spec) {
        Scenario s = current;
        trace(s, "start", Map.of("op", spec.id()));
        s.maxInFlight.accumulateAndGet(s.inFlight.incrementAndGet(), Math::max);
        try {
            sleepUntilNanos(System.nanoTime() + s.tickNanos(spec.ticks()));
        } catch (InterruptedException e) {
            s.inFlight.decrementAndGet();
            trace(s, "cancelled", Map.of("op", spec.id()));
            Thread.currentThread().interrupt();
            var cancelled = new CancellationException("op " + spec.id() + " cancelled");
            cancelled.initCause(e);
            throw cancelled;
        }
        s.inFlight.decrementAndGet();
        if (spec.error().isPresent()) {
            trace(s, "fail", Map.of("op", spec.id(), "error", spec.error().get()));
            throw new OpException(spec.error().get());
        }
        Object value = spec.value().orElse(null);
        Map<String, Object> fields = new LinkedHashMap<>(); // Map.of refuses a null value
        fields.put("op", spec.id());
        fields.put("value", value);
        trace(s, "succeed", fields);
        return value;
    }

    /** The largest number of {@link #op}s running at once during this scenario. */
    public static int maxInFlight() {
        return current.maxInFlight.get();
    }

    /**
     * The scenario label of a failure: the label of the first {@link OpException} in the cause
     * chain (through CompletionException, ExecutionException, FailedException...).
     */
    public static String label(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof OpException op) {
                return op.label();
            }
        }
        return String.valueOf(error); // not a scenario failure: shown as is in the trace diff
    }

    /**
     * What a failure is, described from the value itself: its class (without its package; a
     * nested class after its outer one), its suppressed exceptions in brackets, then its cause
     * chain, each after {@code " <- "}: {@code CompletionException <- TimeoutException},
     * {@code StructuredTaskScope.FailedException <- Suite.OpException}.
     */
    public static String shape(Throwable error) {
        StringBuilder shape = new StringBuilder();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            String name = t.getClass().getName();
            shape.append(shape.isEmpty() ? "" : " <- ")
                    .append(name.substring(name.lastIndexOf('.') + 1).replace('$', '.'));
            Throwable[] suppressed = t.getSuppressed();
            if (suppressed.length > 0) {
                shape.append(Arrays.stream(suppressed).map(Suite::shape)
                        .collect(Collectors.joining(", ", "[", "]")));
            }
        }
        return shape.toString();
    }

    // -- for the runner ---------------------------------------------------------------------------

    /** Starts a request: resets the clock and the counters. */
    public static void begin(long id, double tickMs) {
        current = new Scenario(id, tickMs, false);
    }

    /** Starts a warm-up run whose traces (even late ones) are never written. */
    public static void beginMuted(double tickMs) {
        current = new Scenario(-1, tickMs, true);
    }

    /**
     * Closes the current request's window and writes its end line: {@code "done"} when
     * {@code error} is null, else {@code "error"} with its message and stack.
     */
    public static void end(Throwable error) {
        Scenario s = current;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", s.id);
        line.put("end", error == null ? "done" : "error");
        if (error != null) {
            StringWriter stack = new StringWriter();
            error.printStackTrace(new PrintWriter(stack));
            line.put("message", String.valueOf(error));
            line.put("stack", stack.toString());
        }
        LOCK.lock();
        try {
            s.closed = true;
            if (!s.muted) {
                writeLine(Json.write(line));
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Writes request {@code id}'s last line, {@code {"id", "settled": true, "pending"}} (id null
     * for a line that had none), after the stderr mark: a record separator (U+001E) alone on its
     * line, which tells the harness it has all the stderr the request wrote.
     */
    public static void settled(Long id, List<String> pending) {
        System.err.print("\u001e\n");
        System.err.flush();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", id);
        line.put("settled", true);
        line.put("pending", pending);
        writeProtocolLine(line);
    }

    /** Writes a protocol line of the runner's own (hello, the answer to a line it refused). */
    public static void writeProtocolLine(Map<String, ?> message) {
        String text = Json.write(message);
        LOCK.lock();
        try {
            writeLine(text);
        } finally {
            LOCK.unlock();
        }
    }

    // -- internals --------------------------------------------------------------------------------

    private static void trace(Scenario s, String ev, Map<String, ?> fields) {
        String body = Json.write(fields);
        LOCK.lock();
        try {
            double t = Math.round((System.nanoTime() - s.startNanos) / 1_000.0) / 1_000.0;
            StringBuilder line = new StringBuilder(64 + body.length());
            line.append("{\"id\":").append(s.id).append(",\"t\":").append(t).append(",\"ev\":");
            line.append(Json.write(ev));
            line.append(",\"fields\":").append(body);
            if (s.closed) {
                line.append(",\"late\":true");
            }
            line.append('}');
            if (!s.muted) {
                writeLine(line.toString());
            }
        } finally {
            LOCK.unlock();
        }
    }

    private static void writeLine(String line) {
        try {
            OUT.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            OUT.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleepUntilNanos(long deadline) throws InterruptedException {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            Thread.sleep(Duration.ofNanos(left));
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }
}
