import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

/**
 * The Java runner (languages/README.md, "Runner protocol", version 2): warms the JVM up, says
 * hello, then runs one JSON-line request at a time from stdin and answers on stdout. It trusts the
 * harness's requests, and refuses only a line it cannot parse or dispatch. It never runs a snippet
 * untimed: a muted dry run would leave work behind that shows up inside the timed one.
 */
public final class Runner {
    private Runner() {}

    /** A request line; settle_ms may be left out (0). */
    record Request(long id, String key, Json input, double tickMs, long window, Optional<Double> settleMs) {}

    public static void main(String[] args) throws Exception {
        warmUp();
        Map<String, Object> hello = new LinkedHashMap<>();
        hello.put("protocol", 2);
        hello.put("language", "java");
        hello.put("version", Runtime.version().toString());
        System.err.print("\u001e\n"); // the stderr mark: what came before is the start's
        System.err.flush();
        Suite.writeProtocolLine(Map.of("hello", hello));
        // A scenario that runs alone has this process to itself: one request, then main returns
        // and the JVM ends as a program's does (languages/README.md, Alone).
        boolean alone = "1".equals(System.getenv("ASYNC_SUITE_ALONE"));
        InputStream in = new BufferedInputStream(System.in, 1 << 16);
        for (byte[] line = readLine(in); line != null; line = readLine(in)) {
            handle(line);
            if (alone) {
                return;
            }
        }
        // Threads a snippet left behind (a pool it never shut down) must not keep the JVM alive.
        System.exit(0);
    }

    /** The next line without its newline; null at the end of the input. */
    private static byte[] readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    /** Runs one request line: its end line, then its settled line. */
    private static void handle(byte[] line) throws IOException {
        Long id = null;
        Request request;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
            if (text.isBlank()) {
                return;
            }
            Json json = Json.parse(text);
            id = json.value() instanceof Map<?, ?> fields && fields.get("id") instanceof Long n ? n : null;
            request = json.as(Request.class);
        } catch (CharacterCodingException e) {
            refuse(null, "malformed request: not UTF-8", "");
            return;
        } catch (IllegalArgumentException e) {
            refuse(id, "malformed request: " + e.getMessage(), "");
            return;
        }
        Registry.Snippet snippet = Registry.lookup(request.key());
        if (snippet == null) {
            refuse(request.id(), "unknown key " + Json.write(request.key()), "");
            return;
        }
        try {
            load(snippet); // before the clock starts, and before the threads are counted
        } catch (ClassNotFoundException | LinkageError error) {
            var stack = new StringWriter();
            error.printStackTrace(new PrintWriter(stack));
            refuse(request.id(), "cannot load " + snippet.path() + ": "
                    + Objects.requireNonNullElse(error.getCause(), error), stack.toString());
            return;
        }
        Suite.begin(request.id(), request.tickMs());
        Pending before = new Pending();
        try {
            snippet.entry().run(request.input());
            Thread.interrupted(); // a snippet must not leave the runner's thread interrupted
            Suite.sleepUntil(request.window());
            Suite.end(null);
        } catch (Throwable error) {
            Thread.interrupted();
            Suite.end(error);
        }
        long settleNanos = Math.round(request.settleMs().orElse(0.0) * 1_000_000);
        Suite.settled(request.id(), before.settle(settleNanos));
    }

    /** Answers a line that is not a request it can run: an error, then settled. */
    private static void refuse(Long id, String message, String stack) {
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("id", id);
        end.put("end", "error");
        end.put("message", message);
        end.put("stack", stack);
        Suite.writeProtocolLine(end);
        Suite.settled(id, List.of());
    }

    /**
     * Runs the machinery the snippets use (the JSON binder, virtual threads, CompletableFuture,
     * StructuredTaskScope, a fixed pool, delayed executors, the trace helper) with muted traces,
     * so the first timed scenario does not pay for class loading, JIT or lazy initialisation.
     */
    private static void warmUp() throws Exception {
        // Every snippet's class, naming each first: one whose initialiser ends or hangs the runner
        // is named, and the harness then lists it in ASYNC_SUITE_NO_PRELOAD: handle() loads it on
        // its first request, before the clock starts (so only a colder first run). One that
        // throws here reports it on its requests.
        var skipped = List.of(System.getenv().getOrDefault("ASYNC_SUITE_NO_PRELOAD", "").split(","));
        for (String key : Registry.KEYS) {
            if (!skipped.contains(key)) {
                Suite.writeProtocolLine(Map.of("loading", key));
                try {
                    load(Registry.lookup(key));
                } catch (ClassNotFoundException | LinkageError error) {
                    System.err.println("runner: cannot load " + Registry.lookup(key).path() + ": " + error);
                }
            }
        }
        for (int i = 0; i < 20; i++) {
            Thread.sleep(5);
        }
        for (int round = 0; round < 6; round++) {
            Suite.beginMuted(5.0);
            warmUpRound(round);
            Suite.end(null);
        }
        new Pending().pending(); // loads the thread dump's machinery
    }

    /** Loads, verifies and initialises a snippet's class and its nested classes (at once when done). */
    private static void load(Registry.Snippet snippet) throws ClassNotFoundException {
        preload(snippet.type());
    }

    private static void preload(Class<?> type) throws ClassNotFoundException {
        Class.forName(type.getName(), true, type.getClassLoader());
        if (type.isRecord()) {
            Json.prepare(type); // an adapter's Input: its binder is built here, not on the clock
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            preload(nested);
        }
    }

    private static void warmUpRound(int round) throws Exception {
        // A request line whose input takes every path of the binder: records, lists, maps,
        // optionals present and absent, a key named by @Json.Key (its first use makes a proxy
        // class), and each kind of number.
        String line = "{\"id\": 1, \"key\": \"k\", \"tick_ms\": 5, \"window\": 1, \"input\": {"
                + "\"limits\": {\"a\": 1}, \"flag\": true, \"ops\": ["
                + "{\"id\": \"w\", \"ticks\": 1, \"value\": " + round + "},"
                + "{\"id\": \"s\", \"ticks\": 3, \"value\": 1.5},"
                + "{\"id\": \"x\", \"ticks\": 1, \"error\": \"boom\"}]}}";
        record Shapes(List<Op> ops, @Json.Key("limits") Map<String, Integer> bounds, Optional<Boolean> flag,
                Optional<Long> none) {}
        List<Op> ops = Json.parse(line).as(Request.class).input().as(Shapes.class).ops();
        Op ok = ops.get(0);
        Op slow = ops.get(1);
        Op bad = ops.get(2);
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
        warmUpScope(bad, slow);
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

    /**
     * A StructuredTaskScope whose first subtask fails, as the scope snippets use one: open(Joiner),
     * fork, join, FailedException. Named by reflection, as that preview API changes shape between
     * releases (Java 21 has ShutdownOnFailure and no Joiner) and the runner must build on each; a
     * JDK without open(Joiner) builds no snippet that uses it, so there is nothing to warm up. On
     * 25 the first timed scope then costs about 5 ms, against 3 ms after direct calls and 12 ms cold.
     */
    private static void warmUpScope(Op bad, Op slow) throws Exception {
        Class<?> scopeType;
        Method open;
        Object joiner;
        try {
            scopeType = Class.forName("java.util.concurrent.StructuredTaskScope");
            Class<?> joinerType = Class.forName("java.util.concurrent.StructuredTaskScope$Joiner");
            open = scopeType.getMethod("open", joinerType);
            joiner = joinerType.getMethod("awaitAllSuccessfulOrThrow").invoke(null);
        } catch (ClassNotFoundException | NoSuchMethodException beforeJava25) {
            return;
        }
        Method fork = scopeType.getMethod("fork", Callable.class);
        try (var scope = (AutoCloseable) open.invoke(null, joiner)) {
            fork.invoke(scope, (Callable<Object>) () -> Suite.op(bad));
            fork.invoke(scope, (Callable<Object>) () -> Suite.op(slow));
            scopeType.getMethod("join").invoke(scope);
        } catch (InvocationTargetException expected) { // join's FailedException
            Suite.trace("error", Map.of("error", Suite.label(expected.getCause())));
        }
    }
}
