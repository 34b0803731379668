// A paginated source as a lazy Stream: the next page is fetched only when its items are pulled.
package patterns;

import java.util.Map;
import java.util.stream.LongStream;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.stream.Stream;

final class Pages {
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
}
// [/pattern]

public class AsyncStreamPagination {
    record Input(int pages, int perPage, double fetch, long take, double then) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        // Page 1 of an empty source is a last page with no items.
        IntFunction<Pages.Page<Long>> fetchPage = n -> {
            Suite.op(new Op("page" + n, in.fetch(), n));
            long first = (long) (n - 1) * in.perPage() + 1;
            int count = n <= in.pages() ? in.perPage() : 0;
            List<Long> items = LongStream.range(first, first + count).boxed().toList();
            return new Pages.Page<>(n, items, n >= in.pages());
        };
        List<Long> values;
        try (Stream<Long> items = Pages.items(fetchPage, () -> Suite.trace("released", Map.of()))) {
            values = items.limit(in.take()).toList();
        }
        Thread.sleep(Suite.ticks(in.then())); // the consumer goes on for a while
        Suite.trace("result", Map.of("values", values));
    }
}
