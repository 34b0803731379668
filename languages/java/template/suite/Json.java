package suite;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedConstructor;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Optional;

/**
 * JSON for the suite, through Jackson: a strict reader, a binder into records, a compact writer.
 *
 * <p>{@link #parse} accepts RFC 8259 JSON only (Jackson's defaults: no comment, NaN, leading zero,
 * trailing comma or unknown escape), and refuses duplicate keys, text after the value and nesting
 * deeper than {@link #MAX_DEPTH}. A value is a {@code Map<String, Object>} (in order), a
 * {@code List<Object>}, a {@code Long} (a {@code BigInteger} past a long), a {@code Double}, a
 * {@code String}, a {@code Boolean} or {@code null}.
 *
 * <p>{@link #as} binds a value to a type, typically a record: each component reads the key of its
 * name in snake_case ({@code perPage} reads {@code per_page}) or as it is spelled, or the one
 * {@link Key} names; other keys are ignored. Only an {@code Optional<T>} component may be missing or null; no scalar is
 * coerced (no {@code "2"} for a number, no {@code 1.5} or {@code 2.0} for an int). A refused value
 * is an IllegalArgumentException naming its path: {@code $.ops[1].ticks: Cannot coerce String...}.
 */
public final class Json {
    public static final int MAX_DEPTH = 128;

    /** The key a record component reads, where the key cannot be its name ({@code wait}). */
    @Retention(RetentionPolicy.RUNTIME) // on the constructor parameter too, where Jackson looks
    @Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
    public @interface Key {
        String value();
    }

    /** Jackson's annotations, and the suite's: {@link Key} names, every non-Optional is required. */
    private static final class Names extends JacksonAnnotationIntrospector {
        private static final long serialVersionUID = 1L;

        @Override
        public PropertyName findNameForDeserialization(Annotated a) {
            Key key = a.getAnnotation(Key.class);
            return key != null ? PropertyName.construct(key.value()) : super.findNameForDeserialization(a);
        }

        @Override
        public List<PropertyName> findPropertyAliases(Annotated a) { // its name as spelled too (threadDump)
            if (a instanceof AnnotatedParameter p && a.getAnnotation(Key.class) == null && p.getDeclaringClass().isRecord()
                    && p.getOwner() instanceof AnnotatedConstructor c && c.getAnnotated().getParameterCount()
                    == p.getDeclaringClass().getRecordComponents().length) {
                return List.of(PropertyName.construct(p.getDeclaringClass().getRecordComponents()[p.getIndex()].getName()));
            }
            return null;
        }

        @Override
        public Boolean hasRequiredMarker(AnnotatedMember m) {
            return m.getRawType() != Optional.class;
        }
    }

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .addModule(new Jdk8Module())
            .annotationIntrospector(new Names())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.USE_LONG_FOR_INTS,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .defaultSetterInfo(JsonSetter.Value.forValueNulls(Nulls.FAIL))
            .withConfigOverride(Optional.class, o -> o.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.AS_EMPTY)))
            .withConfigOverride(Object.class, o -> o.setSetterInfo(JsonSetter.Value.forValueNulls(Nulls.SET)))
            .build();

    private final Object value;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING) // a component of type Json holds its value as parsed
    private Json(Object value) {
        this.value = value;
    }

    /** The JSON text {@code text}; IllegalArgumentException saying where it is not JSON. */
    public static Json parse(String text) {
        try {
            return new Json(MAPPER.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            long at = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getCharOffset());
            throw new IllegalArgumentException("invalid JSON at offset " + at + ": " + e.getOriginalMessage(), e);
        }
    }

    /** The value as parsed: Map, List, Long, BigInteger, Double, String, Boolean or null. */
    @JsonValue
    public Object value() {
        return value;
    }

    /** The value bound to {@code type}, typically a record: {@code input.as(Input.class)}. */
    public <T> T as(Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof JsonMappingException refused)) {
                throw e;
            }
            StringBuilder path = new StringBuilder("$");
            for (JsonMappingException.Reference step : refused.getPath()) {
                path.append(step.getIndex() >= 0 ? "[" + step.getIndex() + "]" : "." + step.getFieldName());
            }
            boolean notObject = refused instanceof MismatchedInputException m && m.getTargetType() != null
                    && m.getTargetType().isRecord() && !(refused.getOriginalMessage().startsWith("Missing"));
            String expected = notObject ? "expected an object: " : ""; // Jackson's words do not say
            throw new IllegalArgumentException(path + ": " + expected + refused.getOriginalMessage(), refused);
        }
    }

    /** Builds and caches the binder of {@code type} now (a warm-up), not at its first {@link #as}. */
    public static void prepare(Class<?> type) {
        MAPPER.readerFor(type);
    }

    @Override
    public String toString() {
        return write(value);
    }

    /** Compact JSON of maps, lists, numbers, strings, booleans, records, enums (by name) and null. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON", e);
        }
    }
}
