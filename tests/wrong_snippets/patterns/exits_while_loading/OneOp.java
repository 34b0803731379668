// One operation, and its value.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

public class OneOp {
    record Input(Op op) {}

    public static void run(Json input) {
        Suite.trace("result", Map.of("value", Suite.op(input.as(Input.class).op())));
    }
}
