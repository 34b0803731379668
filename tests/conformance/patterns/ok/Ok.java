package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

public class Ok {
    public static void run(Json input) throws InterruptedException {
        Suite.trace("step", Map.of("n", 1));
        Suite.sleepUntil(1);
        Suite.trace("step", Map.of("n", 2));
    }
}
