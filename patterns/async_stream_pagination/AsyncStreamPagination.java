package patterns;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import suite.Json;
import suite.Suite;

public class AsyncStreamPagination {
    // [pattern]
    /** One fetched page: its number, its items, and whether it is the last. */
    record Page<T>(int number, List<T> items, boolean last) {}

    /**
     * A lazy stream of the items of every page. Page 1 is fetched when the stream is made, page
     * n+1 only once the items of page n have all been pulled, so a short-circuiting consumer
     * ({@code limit}, {@code findFirst}) stops the fetching. Closing the stream (try-with-resources)
     * runs {@code onRelease}. Fetches block the calling thread: run it on a virtual thread to keep
     * many of these cheap.
     */
    static <T> Stream<T> items(IntFunction<Page<T>> fetchPage, Runnable onRelease) {
        return Stream.iterate(
                        fetchPage.apply(1),
                        Objects::nonNull,
                        page -> page.last() ? null : fetchPage.apply(page.number() + 1))
                .flatMap(page -> page.items().stream())
                .onClose(onRelease);
    }
    // [/pattern]

    public static void run(Json input) throws InterruptedException {
        int pages = input.get("pages").asInt();
        int perPage = input.get("per_page").asInt();
        // Page 1 of an empty source is a last page with no items.
        IntFunction<Page<Long>> fetchPage = n -> {
            Suite.op(Json.of(Map.of("id", "page" + n, "ticks", input.get("fetch").value(), "value", n)));
            long first = (long) (n - 1) * perPage + 1;
            int count = n <= pages ? perPage : 0;
            return new Page<>(n, LongStream.range(first, first + count).boxed().toList(), n >= pages);
        };
        List<Long> values;
        try (Stream<Long> items = items(fetchPage, () -> Suite.trace("released", Map.of()))) {
            values = items.limit(input.get("take").asLong()).toList();
        }
        Thread.sleep(Suite.ticks(input.get("then").asDouble())); // the consumer goes on for a while
        Suite.trace("result", Map.of("values", values));
    }
}
