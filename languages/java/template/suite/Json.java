package suite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed JSON value with typed accessors, and a small writer.
 *
 * <p>Parsing yields {@code Map<String, Object>} (insertion order), {@code List<Object>},
 * {@code Long} (integers), {@code Double}, {@code String}, {@code Boolean} or {@code null},
 * wrapped in a {@code Json} so snippets can read their input as {@code input.get("ops").list()}
 * or {@code spec.get("ticks").asLong()}.
 */
public final class Json {
    private final Object value;

    private Json(Object value) {
        this.value = value;
    }

    public static Json of(Object value) {
        return value instanceof Json json ? json : new Json(value);
    }

    public static Json parse(String text) {
        Parser parser = new Parser(text);
        parser.skipSpace();
        Object value = parser.value();
        parser.skipSpace();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected trailing text");
        }
        return new Json(value);
    }

    /** The raw value: Map, List, Long, Double, String, Boolean or null. */
    public Object value() {
        return value;
    }

    /** The member {@code key} of an object; a null value when it is absent. */
    public Json get(String key) {
        return new Json(object().get(key));
    }

    /** The element {@code index} of an array. */
    public Json get(int index) {
        return new Json(array().get(index));
    }

    public boolean has(String key) {
        return value instanceof Map<?, ?> map && map.containsKey(key);
    }

    public boolean isNull() {
        return value == null;
    }

    /** The elements of an array, each wrapped. */
    public List<Json> list() {
        List<Json> items = new ArrayList<>();
        for (Object item : array()) {
            items.add(new Json(item));
        }
        return Collections.unmodifiableList(items);
    }

    public String string() {
        return as(String.class);
    }

    public long asLong() {
        Number number = as(Number.class);
        if (number instanceof Double d && d != Math.rint(d)) {
            throw new IllegalStateException("not an integer: " + d);
        }
        return number.longValue();
    }

    public int asInt() {
        return Math.toIntExact(asLong());
    }

    public double asDouble() {
        return as(Number.class).doubleValue();
    }

    public boolean asBoolean() {
        return as(Boolean.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object() {
        return as(Map.class);
    }

    @SuppressWarnings("unchecked")
    private List<Object> array() {
        return as(List.class);
    }

    private <T> T as(Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalStateException(
                    "expected " + type.getSimpleName() + ", got " + write(value));
        }
        return type.cast(value);
    }

    @Override
    public String toString() {
        return write(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Json json && java.util.Objects.equals(value, json.value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(value);
    }

    // -- writing ----------------------------------------------------------------------------------

    /**
     * Serialises maps, iterables, arrays of objects, numbers, strings, booleans, enums (by name)
     * and null as compact JSON; anything else as its toString().
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case Json json -> write(json.value, out);
            case String s -> quote(s, out);
            case Boolean b -> out.append(b);
            case Double d -> number(d, out);
            case Float f -> number(f.doubleValue(), out);
            case Number n -> out.append(n);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case Iterable<?> items -> {
                out.append('[');
                boolean first = true;
                for (Object item : items) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    write(item, out);
                }
                out.append(']');
            }
            case Object[] items -> write(List.of(items), out);
            case Enum<?> e -> quote(e.name(), out);
            default -> quote(value.toString(), out);
        }
    }

    private static void number(double d, StringBuilder out) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.append("null");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            out.append((long) d);
        } else {
            out.append(d);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // -- parsing ----------------------------------------------------------------------------------

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        Object value() {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected character '" + c + "'");
                }
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            pos++; // {
            skipSpace();
            if (peek() == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipSpace();
                if (peek() != '"') {
                    throw error("expected a string key");
                }
                String key = string();
                skipSpace();
                expect(':');
                skipSpace();
                map.put(key, value());
                skipSpace();
                char c = next();
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            pos++; // [
            skipSpace();
            if (peek() == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipSpace();
                list.add(value());
                skipSpace();
                char c = next();
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private String string() {
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> out.append(e);
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'u' -> {
                        if (pos + 4 > text.length()) {
                            throw error("truncated \\u escape");
                        }
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw error("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = pos;
            boolean integral = true;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '.' || c == 'e' || c == 'E') {
                    integral = false;
                } else if (!(c == '-' || c == '+' || (c >= '0' && c <= '9'))) {
                    break;
                }
                pos++;
            }
            String digits = text.substring(start, pos);
            try {
                if (integral) {
                    try {
                        return Long.parseLong(digits);
                    } catch (NumberFormatException tooLarge) {
                        return Double.parseDouble(digits);
                    }
                }
                return Double.parseDouble(digits);
            } catch (NumberFormatException e) {
                pos = start;
                throw error("bad number " + digits);
            }
        }

        private Object literal(String word, Object result) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected token");
            }
            pos += word.length();
            return result;
        }

        void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("expected '" + c + "'");
            }
        }

        IllegalArgumentException error(String message) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + message);
        }
    }
}
