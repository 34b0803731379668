package patterns;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import suite.Json;
import suite.Suite;

public class Hangs {
    public static void run(Json input) throws InterruptedException {
        Suite.trace("step", Map.of("n", 1));
        new CountDownLatch(1).await(); // nothing ever counts it down
    }
}
