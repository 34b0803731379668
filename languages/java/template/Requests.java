import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import suite.Json;

/** Request lines from stdin, read and checked as languages/protocol.schema.json says. */
final class Requests {
    static final int MAX_LINE = 1 << 20; // bytes, newline excluded

    private static final List<String> FIELDS = List.of(
            "id", "key", "pattern", "variant", "scenario", "input", "tick_ms", "window", "settle_ms");

    record Request(long id, String key, Json input, double tickMs, long window, double settleMs) {
    }

    /** A line that is not a request: the id to answer with (null when unreadable) and why. */
    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;
        final Long id;

        BadRequest(Long id, String message) {
            super(message, null, false, false);
            this.id = id;
        }
    }

    private final InputStream in;

    Requests(InputStream in) {
        this.in = new BufferedInputStream(in, 1 << 16);
    }

    /**
     * The next line, without its newline; null at the end of the input. A line longer than
     * {@link #MAX_LINE} is read to its end but not kept: a BadRequest.
     */
    byte[] nextLine() throws IOException, BadRequest {
        var line = new ByteArrayOutputStream();
        boolean tooLong = false;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (line.size() < MAX_LINE) {
                line.write(b);
            } else {
                tooLong = true;
            }
        }
        if (tooLong) {
            throw new BadRequest(null, "malformed request: line longer than " + MAX_LINE + " bytes");
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    /** Decodes one request line and checks every field. */
    static Request parse(byte[] line) throws BadRequest {
        Json request;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line)).toString();
            request = Json.parse(text);
        } catch (CharacterCodingException e) {
            throw new BadRequest(null, "malformed request: not JSON: invalid UTF-8");
        } catch (RuntimeException e) {
            throw new BadRequest(null, "malformed request: not JSON: " + e.getMessage());
        } catch (StackOverflowError e) {
            throw new BadRequest(null, "malformed request: not JSON: nested too deeply");
        }
        if (!(request.value() instanceof Map<?, ?> fields)) {
            throw new BadRequest(null, "malformed request: not a JSON object");
        }
        if (!number(request.get("id"), 0, Long.MAX_VALUE, true)) {
            throw new BadRequest(null, "bad request: field 'id' must be a non-negative integer");
        }
        long id = request.get("id").asLong();
        for (Object name : fields.keySet()) {
            if (!FIELDS.contains(name)) {
                throw new BadRequest(id, "bad request: unknown field '" + name + "' (a request has: "
                        + String.join(", ", FIELDS) + ")");
            }
        }
        check(id, "key", request.get("key").value() instanceof String, "a string");
        check(id, "input", request.has("input"), "present");
        check(id, "tick_ms", number(request.get("tick_ms"), 0, 60000, false)
                && request.get("tick_ms").asDouble() > 0, "a number in (0, 60000]");
        check(id, "window", number(request.get("window"), 0, 100000, true), "an integer in [0, 100000]");
        check(id, "settle_ms", !request.has("settle_ms") || number(request.get("settle_ms"), 0, 60000, false),
                "a number in [0, 60000]");
        for (String name : List.of("pattern", "scenario", "variant")) {
            Object value = request.get(name).value();
            boolean nullable = name.equals("variant");
            check(id, name, !request.has(name) || value instanceof String || nullable && value == null,
                    nullable ? "a string or null" : "a string");
        }
        double settleMs = request.has("settle_ms") ? request.get("settle_ms").asDouble() : 0;
        return new Request(id, request.get("key").string(), request.get("input"),
                request.get("tick_ms").asDouble(), request.get("window").asLong(), settleMs);
    }

    private static void check(long id, String name, boolean ok, String expected) throws BadRequest {
        if (!ok) {
            throw new BadRequest(id, "bad request: field '" + name + "' must be " + expected);
        }
    }

    /** Whether {@code value} is a JSON number in [low, high], and whole if {@code integer}. */
    private static boolean number(Json value, double low, double high, boolean integer) {
        if (!(value.value() instanceof Number n)) {
            return false;
        }
        double d = n.doubleValue();
        return low <= d && d <= high && (!integer || d == Math.rint(d));
    }
}
