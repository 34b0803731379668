package patterns;

import java.io.IOException;
import java.util.Map;

import suite.Json;
import suite.Suite;

public class ChildProcess {
    record Input(long seconds) {}

    public static void run(Json input) throws IOException {
        long seconds = input.as(Input.class).seconds();
        new ProcessBuilder("sleep", String.valueOf(seconds)).start(); // never waited for
        Suite.trace("step", Map.of("n", 1));
    }
}
