package suite;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JSON for the suite: a strict reader, a binder into records, and a compact writer.
 *
 * <p>{@link #parse} accepts RFC 8259 JSON and nothing else (no trailing comma, comment, NaN,
 * leading zero, unknown escape or lone surrogate), refuses duplicate keys and nests at most
 * {@link #MAX_DEPTH} deep. A value is a {@code Map<String, Object>} (in order), a
 * {@code List<Object>}, a {@code Long} (an integer that fits one), a {@code Double}, a
 * {@code String}, a {@code Boolean} or {@code null}.
 *
 * <p>{@link #as} binds a value to a type: a record (each component reads the key of its name, or
 * of its name in snake_case: {@code perPage} reads {@code per_page}, or the one {@link Key} names;
 * other keys are ignored),
 * {@code int}, {@code long}, {@code double}, {@code boolean} and their boxes, {@code String},
 * {@code List<T>}, {@code Map<String, T>}, {@code Optional<T>} (the only type whose key may be
 * missing or null), {@code Object} (the value as parsed) and {@code Json}. A missing or mistyped
 * value is an IllegalArgumentException naming its path: {@code $.ops[1].ticks: expected a number,
 * got "2"}.
 */
public final class Json {
    public static final int MAX_DEPTH = 128;

    /** The key a record component reads, where the key cannot be its name ({@code wait}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    public @interface Key {
        String value();
    }

    private final Object value;

    private Json(Object value) {
        this.value = value;
    }

    /** The JSON text {@code text}; IllegalArgumentException saying where it is not JSON. */
    public static Json parse(String text) {
        return new Json(new Reader(text).document());
    }

    /** The value as parsed: Map, List, Long, Double, String, Boolean or null. */
    public Object value() {
        return value;
    }

    /** The value bound to {@code type}, typically a record: {@code input.as(Input.class)}. */
    @SuppressWarnings("unchecked") // bind returns a value of the type it was given
    public <T> T as(Class<T> type) {
        return (T) bind(value, type, "$");
    }

    @Override
    public String toString() {
        return write(value);
    }

    // -- binding ----------------------------------------------------------------------------------

    private static Object bind(Object value, Type type, String path) {
        if (type instanceof ParameterizedType generic) {
            Type raw = generic.getRawType();
            Type[] args = generic.getActualTypeArguments();
            if (raw == Optional.class) {
                return value == null ? Optional.empty() : Optional.of(bind(value, args[0], path));
            }
            if (raw == List.class) {
                List<Object> items = new ArrayList<>();
                for (Object item : cast(value, List.class, "an array", path)) {
                    items.add(bind(item, args[0], path + "[" + items.size() + "]"));
                }
                return Collections.unmodifiableList(items);
            }
            if (raw == Map.class && args[0] == String.class) {
                Map<?, ?> object = cast(value, Map.class, "an object", path);
                Map<String, Object> members = new LinkedHashMap<>();
                object.forEach((key, member) ->
                        members.put((String) key, bind(member, args[1], path + "." + key)));
                return Collections.unmodifiableMap(members);
            }
        } else if (type instanceof Class<?> c) {
            if (c.isRecord()) {
                return record(c, cast(value, Map.class, "an object", path), path);
            }
            if (c == Object.class) {
                return value;
            }
            if (c == Json.class) {
                return new Json(value);
            }
            if (c == String.class) {
                return cast(value, String.class, "a string", path);
            }
            if (c == boolean.class || c == Boolean.class) {
                return cast(value, Boolean.class, "true or false", path);
            }
            if (c == double.class || c == Double.class) {
                return cast(value, Number.class, "a number", path).doubleValue();
            }
            if (c == long.class || c == Long.class) {
                return cast(value, Long.class, "an integer", path);
            }
            if (c == int.class || c == Integer.class) {
                long n = cast(value, Long.class, "an integer", path);
                if (n != (int) n) {
                    throw new IllegalArgumentException(path + ": " + n + " is out of int range");
                }
                return (int) n;
            }
        }
        throw new IllegalArgumentException(path + ": cannot bind JSON to " + type.getTypeName());
    }

    /** A record from the members of an object, each component read from its key. */
    private static Object record(Class<?> type, Map<?, ?> members, String path) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String name = components[i].getName();
            Key named = components[i].getAnnotation(Key.class);
            String key = named != null ? named.value()
                    : members.containsKey(name) ? name
                    : name.replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
            types[i] = components[i].getType();
            if (!members.containsKey(key) && types[i] != Optional.class) {
                throw new IllegalArgumentException(path + "." + key + ": missing");
            }
            values[i] = bind(members.get(key), components[i].getGenericType(), path + "." + key);
        }
        try {
            var constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true); // the records of a snippet's adapter are not public
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) { // the record's own constructor refused the values
            throw new IllegalArgumentException(path + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private static <T> T cast(Object value, Class<T> type, String expected, String path) {
        if (!type.isInstance(value)) {
            String got = write(value);
            got = got.length() > 60 ? got.substring(0, 57) + "..." : got;
            throw new IllegalArgumentException(path + ": expected " + expected + ", got " + got);
        }
        return type.cast(value);
    }

    // -- writing ----------------------------------------------------------------------------------

    /**
     * Serialises maps, iterables, numbers, strings, booleans, enums (by name) and null as compact
     * JSON; anything else as its toString(). A non-finite number is written as null.
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
                String separator = "";
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.append(separator);
                    separator = ",";
                    quote(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            }
            case Iterable<?> items -> {
                out.append('[');
                String separator = "";
                for (Object item : items) {
                    out.append(separator);
                    separator = ",";
                    write(item, out);
                }
                out.append(']');
            }
            case Enum<?> e -> quote(e.name(), out);
            default -> quote(value.toString(), out);
        }
    }

    private static void number(double d, StringBuilder out) {
        if (!Double.isFinite(d)) {
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

    // -- reading ----------------------------------------------------------------------------------

    private static final class Reader {
        private static final Pattern NUMBER =
                Pattern.compile("-?(?:0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");
        private static final String HEX = "0123456789abcdefABCDEF";

        private final String text;
        private int pos;
        private int depth;

        Reader(String text) {
            this.text = text;
        }

        Object document() {
            Object value = value();
            space();
            if (pos < text.length()) {
                throw error("unexpected text after the value");
            }
            return value;
        }

        private Object value() {
            space();
            return switch (peek()) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", true);
                case 'f' -> literal("false", false);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            enter();
            Map<String, Object> members = new LinkedHashMap<>();
            space();
            if (!take('}')) {
                do {
                    space();
                    int at = pos;
                    if (peek() != '"') {
                        throw error("expected a string key");
                    }
                    String key = string();
                    if (members.containsKey(key)) {
                        pos = at;
                        throw error("duplicate key " + write(key));
                    }
                    space();
                    expect(':');
                    members.put(key, value());
                    space();
                } while (take(','));
                expect('}');
            }
            depth--;
            return members;
        }

        private List<Object> array() {
            enter();
            List<Object> items = new ArrayList<>();
            space();
            if (!take(']')) {
                do {
                    items.add(value());
                    space();
                } while (take(','));
                expect(']');
            }
            depth--;
            return items;
        }

        /** Steps over the opening bracket, one level deeper. */
        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw error("nested deeper than " + MAX_DEPTH);
            }
            pos++;
        }

        private String string() {
            int start = pos++;
            StringBuilder out = new StringBuilder();
            for (char c = next(); c != '"'; c = next()) {
                if (c < 0x20) {
                    pos--;
                    throw error("unescaped control character in a string");
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
                    case 'u' -> out.append(hex4());
                    default -> {
                        pos -= 2;
                        throw error("bad escape \\" + e);
                    }
                }
            }
            // A surrogate must be half of a pair, whether escaped (\ud83d\ude00) or not.
            for (int i = 0; i < out.length(); i++) {
                char c = out.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < out.length()
                        && Character.isLowSurrogate(out.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    pos = start;
                    throw error("lone surrogate in a string");
                }
            }
            return out.toString();
        }

        private char hex4() {
            int code = 0;
            for (int i = 0; i < 4; i++) {
                int digit = HEX.indexOf(next());
                if (digit < 0) {
                    pos--;
                    throw error("bad \\u escape: 4 hex digits expected");
                }
                code = code * 16 + (digit < 16 ? digit : digit - 6);
            }
            return (char) code;
        }

        private Object number() {
            Matcher m = NUMBER.matcher(text).region(pos, text.length());
            if (!m.lookingAt()) {
                throw error(pos < text.length() ? "unexpected character" : "unexpected end of input");
            }
            if (m.end() < text.length() && text.charAt(m.end()) >= '0' && text.charAt(m.end()) <= '9') {
                throw error("leading zero in a number");
            }
            pos = m.end();
            if (m.group(1) == null && m.group(2) == null) {
                try {
                    return Long.parseLong(m.group());
                } catch (NumberFormatException tooLarge) {
                    // read as a double below
                }
            }
            double d = Double.parseDouble(m.group());
            if (Double.isInfinite(d)) {
                pos = m.start();
                throw error("number out of range");
            }
            return d;
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected character");
            }
            pos += word.length();
            return value;
        }

        private void space() {
            while (pos < text.length() && " \t\n\r".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private boolean take(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private char next() {
            if (pos >= text.length()) {
                throw error("unexpected end of input");
            }
            return text.charAt(pos++);
        }

        private void expect(char c) {
            if (!take(c)) {
                throw error(pos < text.length() ? "expected '" + c + "'" : "unexpected end of input");
            }
        }

        private IllegalArgumentException error(String why) {
            return new IllegalArgumentException("invalid JSON at offset " + pos + ": " + why);
        }
    }
}
