import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import suite.Json;
import suite.Suite.Op;

/**
 * The strict JSON reader and the record binder of the Java suite helper (template/suite/Json.java,
 * Jackson configured strictly): a refusal says why in Jackson's words, naming the field path;
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
        same(parse("-9223372036854775808"), Long.MIN_VALUE); // integers stay integers
        same(parse("7"), 7L);
        same(parse("1e-400"), 0.0);
        same(parse("[]"), List.of());
        same(parse("{}"), Map.of());
        same(parse("null"), null);
    }

    static void refusesWhatRfc8259DoesNot() {
        refused("", "No content");
        refused("   ", "No content");
        refused("[1,]", "expected a valid value");
        refused("{\"a\": 1,}", "double-quote to start field name");
        refused("[1 2]", "comma to separate Array entries");
        refused("{\"a\" 1}", "colon to separate field name and value");
        refused("{a: 1}", "double-quote to start field name");
        refused("{'a': 1}", "double-quote to start field name");
        refused("1 2", "Trailing token");
        refused("[1] // a comment", "comment");
        refused("/* a comment */ 1", "comment");
        refused("NaN", "Non-standard token 'NaN'");
        refused("Infinity", "Non-standard token 'Infinity'");
        refused("-Infinity", "Non-standard token '-Infinity'");
        refused("01", "Leading zeroes not allowed");
        refused("-012", "Leading zeroes not allowed");
        refused("+1", "plus sign");
        refused("1.", "Decimal point not followed by a digit");
        refused(".5", "expected a valid value");
        refused("1e", "exponent");
        refused("0x10", "Unexpected character ('x'");
        refused("12345678901234567890", "out of range of long"); // never silently a double
        refused("tru", "Unrecognized token 'tru'");
        refused("nulls", "Unrecognized token 'nulls'");
        refused("True", "Unrecognized token 'True'");
        refused("\"open", "end-of-input");
        refused("\"a\tb\"", "Illegal unquoted character");
        refused("\"a\nb\"", "Illegal unquoted character");
        refused("\"\\x\"", "Unrecognized character escape 'x'");
        refused("\"\\'\"", "Unrecognized character escape ''' (code 39)");
        refused("\"\\u12\"", "hex-digit");
        refused("\"\\u12G4\"", "hex-digit");
        refused("\"\\u+123\"", "hex-digit");
        refused("\"\\u\uff11\uff12\uff13\uff14\"", "hex-digit"); // fullwidth digits
        refused("\u00a01", "Unexpected character"); // a no-break space is not JSON whitespace
        refused("\ufeff1", "Unexpected character"); // nor is a byte order mark
    }

    static void refusesDuplicateKeysAndDeepNesting() {
        refused("{\"a\": 1, \"a\": 2}", "Duplicate field 'a'");
        refused("{\"a\": {\"b\": 1, \"b\": 1}}", "Duplicate field 'b'");
        int max = Json.MAX_DEPTH;
        same(parse("[".repeat(max) + "]".repeat(max)) != null, true);
        String deeper = "nesting depth (" + (max + 1) + ") exceeds the maximum allowed (" + max;
        refused("[".repeat(max + 1) + "]".repeat(max + 1), deeper);
        refused("{\"a\":".repeat(max + 1) + "1" + "}".repeat(max + 1), deeper);
        refused("[".repeat(1_000_000), deeper); // no StackOverflowError
    }

    static void writesWhatItReads() {
        String text = "{\"s\":\"q\\\"\\\\\\n\\u0001\",\"n\":[1,2.5,-3,null,true],\"o\":{}}";
        same(Json.write(Json.parse(text)), text);
        same(Json.write(Map.of("op", new Op("a", 1, 7L))),
                "{\"op\":{\"id\":\"a\",\"ticks\":1.0,\"value\":7,\"error\":null}}");
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
        same(bind("{\"threadDump\": 1}", Camel.class), new Camel(1)); // as spelled
        same(bind("{\"thread_dump\": 1}", Camel.class), new Camel(1));
        same(bind("{\"wait\": true, \"waits\": false, \"size\": 3}", Named.class),
                new Named(true, Optional.empty())); // Key names the key: only that one
        same(Json.parse("7").as(int.class), 7);
    }

    static void bindingErrorsNameTheFieldPath() {
        String ops = "{\"ops\": [{\"id\": \"a\", \"ticks\": 1, \"value\": 1}, %s], \"deadline\": %s}";
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": \"2\"}", "1"), Input.class,
                "$.ops[1].ticks: Cannot coerce String value (\"2\") to `double`");
        bindRefused(ops.formatted("{\"ticks\": 2}", "1"), Input.class,
                "$.ops[1].id: Missing required creator property 'id'");
        bindRefused(ops.formatted("{\"id\": null, \"ticks\": 2}", "1"), Input.class,
                "$.ops[1].id: Invalid `null` value");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1, \"error\": 5}", "1"), Input.class,
                "$.ops[1].error: Cannot coerce Integer value (5) to `java.lang.String`");
        bindRefused(ops.formatted("[]", "1"), Input.class,
                "$.ops[1]: expected an object: Cannot deserialize value of type `suite.Suite$Op` from Array");
        bindRefused("{\"ops\": []}", Input.class, "$.deadline: Missing required creator property 'deadline'");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "1.5"), Input.class,
                "$.deadline: Cannot coerce Floating-point value (1.5) to `int`");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "2.0"), Input.class,
                "$.deadline: Cannot coerce Floating-point value (2.0) to `int`");
        bindRefused(ops.formatted("{\"id\": \"b\", \"ticks\": 1}", "3000000000"), Input.class,
                "$.deadline: Numeric value (3000000000) out of range of int");
        bindRefused("{\"ops\": {}, \"deadline\": 1}", Input.class,
                "$.ops: Cannot deserialize value of type `java.util.ArrayList");
        bindRefused("[]", Input.class, "$: expected an object: Cannot deserialize value of type `JsonTest$Input` from Array");
        bindRefused("{\"at\": 1, \"to\": \"db\", \"reject\": \"yes\"}", Call.class,
                "$.reject: Cannot coerce String value (\"yes\") to `java.lang.Boolean`");
        bindRefused("{\"at\": 1, \"to\": \"db\", \"reject\": 1}", Call.class,
                "$.reject: Cannot coerce Integer value (1) to `java.lang.Boolean`");
        bindRefused("{\"at\": 1, \"to\": true}", Call.class,
                "$.to: Cannot coerce Boolean value (true) to `java.lang.String`");
        bindRefused("{\"i\": 0}", Positive.class, "$.n: Missing required creator property 'n'");
        bindRefused("{\"waits\": true}", Named.class, "$.wait: Missing required creator property 'wait'");
        bindRefused("{\"n\": 0}", Positive.class,
                "$: Cannot construct instance of `JsonTest$Positive`, problem: n must be positive");
        bindRefused("{\"per_page\": 1, \"limits\": {\"db\": \"one\"}}", Everything.class,
                "$.limits.db: Cannot coerce String value (\"one\")"); // the first problem in the text
        bindRefused("{\"per_page\": 1}", Everything.class, "$.i: Missing required creator property 'i'");
        record Limits(Map<String, Integer> limits) {}
        bindRefused("{\"limits\": {\"db\": 1, \"cache\": \"two\"}}", Limits.class,
                "$.limits.cache: Cannot coerce String value (\"two\") to `java.lang.Integer`");
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
            if (!e.getMessage().startsWith(message)) {
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
