import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import suite.Json;
import suite.Suite.Op;

/**
 * The strict JSON reader and the record binder of the Java suite helper (template/suite/Json.java),
 * checked without a test framework: {@code java JsonTest} prints every failed check and exits 1
 * if there was one. tests/test_java_json.py compiles and runs it.
 */
public final class JsonTest {
    private static final List<String> FAILURES = new ArrayList<>();
    private static int checks;

    public static void main(String[] args) {
        readsWhatRfc8259Allows();
        refusesWhatRfc8259DoesNot();
        refusesDuplicateKeysAndDeepNesting();
        writesWhatItReads();
        bindsRecords();
        bindingErrorsNameTheFieldPath();
        FAILURES.forEach(System.out::println);
        System.out.println(checks + " checks, " + FAILURES.size() + " failed");
        System.exit(FAILURES.isEmpty() ? 0 : 1);
    }

    // -- the reader -------------------------------------------------------------------------------

    static void readsWhatRfc8259Allows() {
        same(parse(" {\"a\" : [1, -0, 2.5, -1e-3, 1E+2, true, false, null]}\r\n"),
                Map.of("a", java.util.Arrays.asList(1L, 0L, 2.5, -0.001, 100.0, true, false, null)));
        same(parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u00E9\\ud83d\\ude00\""),
                "\"\\/\b\f\n\r\t\u00e9\u00e9\ud83d\ude00");
        same(parse("\"\ud83d\ude00 raw\""), "\ud83d\ude00 raw");
        same(parse("\"\\u0000\""), "\0");
        same(parse("12345678901234567890"), 1.2345678901234567e19); // beyond a long: a double
        same(parse("-9223372036854775808"), Long.MIN_VALUE);
        same(parse("1e-400"), 0.0);
        same(parse("[]"), List.of());
        same(parse("{}"), Map.of());
        same(parse("null"), null);
    }

    static void refusesWhatRfc8259DoesNot() {
        refused("", "unexpected end of input");
        refused("   ", "unexpected end of input");
        refused("[1,]", "unexpected character");
        refused("{\"a\": 1,}", "expected a string key");
        refused("[1 2]", "expected ']'");
        refused("{\"a\" 1}", "expected ':'");
        refused("{a: 1}", "expected a string key");
        refused("{'a': 1}", "expected a string key");
        refused("1 2", "unexpected text after the value");
        refused("[1] // a comment", "unexpected text after the value");
        refused("/* a comment */ 1", "unexpected character");
        refused("NaN", "unexpected character");
        refused("Infinity", "unexpected character");
        refused("-Infinity", "unexpected character");
        refused("01", "leading zero");
        refused("-012", "leading zero");
        refused("+1", "unexpected character");
        refused("1.", "unexpected text after the value");
        refused(".5", "unexpected character");
        refused("1e", "unexpected text after the value");
        refused("0x10", "unexpected text after the value");
        refused("1e400", "number out of range");
        refused("tru", "unexpected character");
        refused("nulls", "unexpected text after the value");
        refused("True", "unexpected character");
        refused("\"open", "unexpected end of input");
        refused("\"a\tb\"", "unescaped control character");
        refused("\"a\nb\"", "unescaped control character");
        refused("\"\\x\"", "bad escape \\x");
        refused("\"\\'\"", "bad escape \\'");
        refused("\"\\u12\"", "bad \\u escape");
        refused("\"\\u12G4\"", "bad \\u escape");
        refused("\"\\u+123\"", "bad \\u escape");
        refused("\"\\u\uff11\uff12\uff13\uff14\"", "bad \\u escape"); // fullwidth digits
        refused("\"\\ud83d\"", "lone surrogate");
        refused("\"\\ude00\\ud83d\"", "lone surrogate");
        refused("\"\\ud83d\\u0041\"", "lone surrogate");
        refused("\"\ud83d\"", "lone surrogate");
        refused("\u00a01", "unexpected character"); // a no-break space is not JSON whitespace
        refused("\ufeff1", "unexpected character"); // nor is a byte order mark
    }

    static void refusesDuplicateKeysAndDeepNesting() {
        refused("{\"a\": 1, \"a\": 2}", "duplicate key \"a\"");
        refused("{\"a\": {\"b\": 1, \"b\": 1}}", "duplicate key \"b\"");
        int max = Json.MAX_DEPTH;
        same(parse("[".repeat(max) + "]".repeat(max)) != null, true);
        refused("[".repeat(max + 1) + "]".repeat(max + 1), "nested deeper than " + max);
        refused("{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1), "nested deeper than " + max);
        refused("[".repeat(1_000_000), "nested deeper than " + max); // no StackOverflowError
    }

    static void writesWhatItReads() {
        String text = "{\"s\":\"q\\\"\\\\\\n\\u0001\\u2028\",\"n\":[1,2.5,-3,null,true],\"o\":{}}";
        same(Json.write(Json.parse(text)), text);
        same(Json.write(Map.of("x", Double.NaN)), "{\"x\":null}");
    }

    // -- the binder -------------------------------------------------------------------------------

    record Input(List<Op> ops, int deadline) {}

    record Call(double at, String to, Optional<Integer> rounds, Optional<Boolean> reject) {}

    record Everything(int i, long l, double d, boolean b, String s, Object raw, Json later,
            List<List<Integer>> grid, Map<String, Integer> limits, Call call, int perPage,
            Optional<String> absent, Optional<String> nulled) {}

    record Positive(int n) {
        Positive {
            if (n <= 0) {
                throw new IllegalArgumentException("n must be positive");
            }
        }
    }

    record Camel(int threadDump) {}

    record Named(@Json.Key("wait") boolean waits, @Json.Key("per_page") Optional<Integer> size) {}

    static void bindsRecords() {
        Input input = bind("{\"ops\": [{\"id\": \"a\", \"ticks\": 2, \"value\": 1},"
                + " {\"id\": \"b\", \"ticks\": 1.5, \"error\": \"boom\", \"unknown\": [1]}], \"deadline\": 3}",
                Input.class);
        same(input, new Input(List.of(new Op("a", 2, 1L),
                new Op("b", 1.5, Optional.empty(), Optional.of("boom"))), 3));
        Everything all = bind("{\"i\": -7, \"l\": 9007199254740993, \"d\": 2, \"b\": false,"
                + " \"s\": \"x\", \"raw\": [1, \"two\"], \"later\": {\"n\": 5},"
                + " \"grid\": [[1, 2], []], \"limits\": {\"db\": 1, \"cache\": 2},"
                + " \"call\": {\"at\": 1, \"to\": \"db\", \"rounds\": 2}, \"per_page\": 4,"
                + " \"nulled\": null}", Everything.class);
        same(all.i(), -7);
        same(all.l(), 9007199254740993L);
        same(all.d(), 2.0);
        same(all.b(), false);
        same(all.raw(), List.of(1L, "two"));
        same(all.later().as(Positive.class), new Positive(5));
        same(all.grid(), List.of(List.of(1, 2), List.of()));
        same(List.copyOf(all.limits().keySet()), List.of("db", "cache")); // in order
        same(all.call(), new Call(1, "db", Optional.of(2), Optional.empty()));
        same(all.perPage(), 4);
        same(all.absent(), Optional.empty());
        same(all.nulled(), Optional.empty());
        same(bind("{\"threadDump\": 1}", Camel.class), new Camel(1)); // the exact name first
        same(bind("{\"thread_dump\": 1}", Camel.class), new Camel(1));
        same(bind("{\"wait\": true, \"waits\": false, \"size\": 3}", Named.class),
                new Named(true, Optional.empty())); // Key names the key: only that one
        same(Json.parse("7").as(int.class), 7);
    }

    static void bindingErrorsNameTheFieldPath() {
        String ops = "{\"ops\": [{\"id\": \"a\", \"ticks\": 1, \"value\": 1}, %s], \"deadline\": %s}";
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": \"2\"}", "1"), Input.class,
                "$.ops[1].ticks: expected a number, got \"2\"");
        bindRefused(ops.formatted("{\"ticks\": 2}", "1"), Input.class, "$.ops[1].id: missing");
        bindRefused(ops.formatted("{\"id\": null, \"ticks\": 2}", "1"), Input.class,
                "$.ops[1].id: expected a string, got null");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1, \"error\": 5}", "1"), Input.class,
                "$.ops[1].error: expected a string, got 5");
        bindRefused(ops.formatted("[]", "1"), Input.class, "$.ops[1]: expected an object, got []");
        bindRefused("{\"ops\": []}", Input.class, "$.deadline: missing");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "1.5"), Input.class,
                "$.deadline: expected an integer, got 1.5");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "2.0"), Input.class,
                "$.deadline: expected an integer, got 2");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "3000000000"), Input.class,
                "$.deadline: 3000000000 is out of int range");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "\"" + "x".repeat(100) + "\""),
                Input.class, "$.deadline: expected an integer, got \"" + "x".repeat(56) + "...");
        bindRefused("{\"ops\": {}, \"deadline\": 1}", Input.class, "$.ops: expected an array, got {}");
        bindRefused("[]", Input.class, "$: expected an object, got []");
        bindRefused("{\"at\": 1, \"to\": \"db\", \"reject\": \"yes\"}", Call.class,
                "$.reject: expected true or false, got \"yes\"");
        bindRefused("{\"i\": 0}", Positive.class, "$.n: missing");
        bindRefused("{\"waits\": true}", Named.class, "$.wait: missing");
        bindRefused("{\"n\": 0}", Positive.class, "$: n must be positive");
        bindRefused("{\"per_page\": 1, \"limits\": {\"db\": \"one\"}}", Everything.class,
                "$.i: missing");
        record Limits(Map<String, Integer> limits) {}
        bindRefused("{\"limits\": {\"db\": 1, \"cache\": \"two\"}}", Limits.class,
                "$.limits.cache: expected an integer, got \"two\"");
        record Unbindable(Thread thread) {}
        bindRefused("{\"thread\": 1}", Unbindable.class, "$.thread: cannot bind JSON to java.lang.Thread");
    }

    // -- helpers ----------------------------------------------------------------------------------

    static Object parse(String text) {
        return Json.parse(text).value();
    }

    static <T> T bind(String text, Class<T> type) {
        return Json.parse(text).as(type);
    }

    static void same(Object actual, Object expected) {
        checks++;
        if (!java.util.Objects.equals(actual, expected)) {
            fail("expected " + expected + ", got " + actual);
        }
    }

    static void refused(String text, String why) {
        checks++;
        try {
            Object value = Json.parse(text).value();
            fail("accepted " + abbreviated(text) + " as " + value + "; expected: " + why);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().startsWith("invalid JSON at offset ") || !e.getMessage().contains(why)) {
                fail("refused " + abbreviated(text) + " with \"" + e.getMessage() + "\"; expected: " + why);
            }
        }
    }

    static void bindRefused(String text, Class<?> type, String message) {
        checks++;
        try {
            Object value = Json.parse(text).as(type);
            fail("bound " + abbreviated(text) + " to " + value + "; expected: " + message);
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals(message)) {
                fail("refused " + abbreviated(text) + " with \"" + e.getMessage() + "\"; expected: " + message);
            }
        }
    }

    static String abbreviated(String text) {
        return Json.write(text.length() > 80 ? text.substring(0, 77) + "..." : text);
    }

    static void fail(String message) {
        StackTraceElement caller = StackWalker.getInstance().walk(frames -> frames
                .filter(f -> !List.of("same", "refused", "bindRefused", "fail").contains(f.getMethodName()))
                .findFirst().orElseThrow().toStackTraceElement());
        FAILURES.add("FAIL JsonTest.java:" + caller.getLineNumber() + ": " + message);
    }
}
