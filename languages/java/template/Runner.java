import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;

import suite.Json;
import suite.Suite;

/**
 * The Java runner (languages/README.md, "Runner protocol"): warms the JVM up, says hello, then
 * runs one JSON-line request at a time from stdin and answers on stdout.
 */
public final class Runner {
    private Runner() {
    }

    public static void main(String[] args) throws Exception {
        warmUp();
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("language", "java");
        hello.put("version", Runtime.version().toString());
        Suite.writeProtocolLine(Map.of("hello", hello));

        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.isBlank()) {
                handle(line);
            }
        }
        // Threads a snippet left behind (a pool it never shut down) must not keep the JVM alive.
        System.exit(0);
    }

    /** Requests (key and input) already run once, untimed (see {@link #dryRun}). */
    private static final Set<String> WARM = new HashSet<>();

    private static void handle(String line) {
        Json request;
        long id;
        try {
            request = Json.parse(line);
            id = request.get("id").asLong();
        } catch (RuntimeException e) {
            System.err.println("runner: ignoring a request without a readable id: " + e);
            return;
        }
        Suite.begin(id, 50.0);
        try {
            if (!request.has("key")) {
                throw new IllegalArgumentException("request without a key: " + line);
            }
            String key = request.get("key").string();
            double tickMs = request.has("tick_ms") ? request.get("tick_ms").asDouble() : 50.0;
            long window = request.has("window") ? request.get("window").asLong() : 0;
            Suite.begin(id, tickMs);
            Registry.Entry entry = Registry.lookup(key);
            if (entry == null) {
                String known = String.join(", ", Registry.KEYS);
                Suite.endError("unknown key " + Json.write(key) + "; known: " + known, "");
                return;
            }
            if (WARM.add(key + " " + request.get("input"))) {
                dryRun(entry, request.get("input"), window);
                Suite.begin(id, tickMs);
            }
            entry.run(request.get("input"));
            Thread.interrupted(); // a snippet must not leave the runner's thread interrupted
            Suite.sleepUntil(window);
            Suite.endDone();
        } catch (Throwable error) {
            Thread.interrupted();
            Suite.endError(String.valueOf(error), stack(error));
        }
    }

    /**
     * Runs a scenario once, muted, at a 2 ms tick before its first timed run: the first run of a
     * code path links its lambdas and loads classes, which made first scenarios start 2-8 ms late.
     */
    private static void dryRun(Registry.Entry entry, Json input, long window) {
        double tickMs = 2.0;
        Suite.beginMuted(tickMs);
        try {
            entry.run(input);
        } catch (Exception | AssertionError ignored) {
            // the timed run reports it
        }
        Thread.interrupted();
        try {
            Suite.sleepUntil(window + 1); // let work it left running start (and trace, muted)
        } catch (InterruptedException ignored) {
            // cannot happen: nothing interrupts the runner's thread
        }
    }

    private static String stack(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }

    /**
     * Runs the machinery the snippets use (virtual threads, CompletableFuture, StructuredTaskScope,
     * a fixed pool, delayed executors, the trace helper) with muted traces, so the first timed
     * scenario does not pay for class loading, JIT or lazy initialisation.
     */
    private static void warmUp() throws Exception {
        for (Class<?> snippet : Registry.CLASSES) {
            preload(snippet);
        }
        for (int i = 0; i < 20; i++) {
            Thread.sleep(5);
        }
        for (int round = 0; round < 6; round++) {
            Suite.beginMuted(5.0);
            warmUpRound(round);
            Suite.endDone();
        }
    }

    /** Loads, verifies and initialises a class and its nested classes. */
    private static void preload(Class<?> type) throws ClassNotFoundException {
        Class.forName(type.getName(), true, type.getClassLoader());
        for (Class<?> nested : type.getDeclaredClasses()) {
            preload(nested);
        }
    }

    private static void warmUpRound(int round) throws Exception {
        Json ok = Json.parse("{\"id\": \"w\", \"ticks\": 1, \"value\": " + round + "}");
        Json slow = Json.parse("{\"id\": \"s\", \"ticks\": 3, \"value\": 1.5}");
        Json bad = Json.parse("{\"id\": \"x\", \"ticks\": 1, \"error\": \"boom\"}");
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = List.of(ok, ok, bad).stream()
                    .map(spec -> CompletableFuture.supplyAsync(() -> Suite.op(spec), executor)
                            .handle((value, error) -> error == null ? value : Suite.label(error)))
                    .toList();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            CompletableFuture.anyOf(futures.toArray(CompletableFuture[]::new)).join();
            try {
                CompletableFuture.supplyAsync(() -> Suite.op(slow), executor)
                        .orTimeout(5, TimeUnit.MILLISECONDS)
                        .join();
            } catch (CompletionException expected) {
                Suite.trace("error", Map.of("error", Suite.label(expected)));
            }
            try {
                executor.invokeAny(List.<Callable<Object>>of(
                        () -> Suite.op(bad), () -> Suite.op(ok)));
            } catch (ExecutionException expected) {
                Suite.trace("error", Map.of("error", Suite.label(expected)));
            }
        }
        var joiner = StructuredTaskScope.Joiner.<Object>awaitAllSuccessfulOrThrow();
        try (var scope = StructuredTaskScope.open(joiner)) {
            scope.fork(() -> Suite.op(bad));
            scope.fork(() -> Suite.op(slow));
            scope.join();
        } catch (StructuredTaskScope.FailedException expected) {
            Suite.trace("error", Map.of("error", Suite.label(expected)));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            var tasks = List.<Callable<Object>>of(() -> Suite.op(ok), () -> Suite.op(ok));
            for (var future : pool.invokeAll(tasks)) {
                future.get();
            }
        }
        var delayed = CompletableFuture.delayedExecutor(
                Suite.ticks(1).toNanos(), TimeUnit.NANOSECONDS);
        CompletableFuture.supplyAsync(() -> round, delayed)
                .thenCompose(n -> CompletableFuture.failedFuture(new Suite.OpException("e" + n)))
                .exceptionallyCompose(e -> CompletableFuture.completedFuture(Suite.label(e)))
                .join();
        Suite.sleepUntil(1);
        Suite.trace("result", Map.of("values", List.of(1, 2.5, "x", Suite.maxInFlight())));
    }
}
