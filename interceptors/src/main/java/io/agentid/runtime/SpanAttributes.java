package io.agentid.runtime;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The attributes of one exported span, in the order they were put. The SDK's own {@code Attributes.builder()} sorts
 * its keys on {@code build()} (a merge sort of every span's twenty-odd attributes, which was about a fifth of the
 * export thread's time); nothing downstream needs an order, since the OTLP marshaler only walks them
 * ({@link #forEach}, {@link #size}). Keys are unique (a second put of a key replaces its value); a null value is
 * ignored, as the SDK's builder does. Immutable once built.
 */
final class SpanAttributes implements Attributes {
    private final Object[] keysAndValues;
    private final int size;

    private SpanAttributes(Object[] keysAndValues, int size) {
        this.keysAndValues = keysAndValues;
        this.size = size;
    }

    static Builder builder() {
        return new Builder();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(AttributeKey<T> key) {
        for (int i = 0; i < size; i++) {
            Object k = keysAndValues[2 * i];
            if (k == key || k.equals(key)) {
                return (T) keysAndValues[2 * i + 1];
            }
        }
        return null;
    }

    @Override
    public void forEach(BiConsumer<? super AttributeKey<?>, ? super Object> consumer) {
        for (int i = 0; i < size; i++) {
            consumer.accept((AttributeKey<?>) keysAndValues[2 * i], keysAndValues[2 * i + 1]);
        }
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Map<AttributeKey<?>, Object> asMap() {
        Map<AttributeKey<?>, Object> m = new LinkedHashMap<>();
        forEach(m::put);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public AttributesBuilder toBuilder() {
        return Attributes.builder().putAll(this);
    }

    /** Equal to any {@link Attributes} with the same keys and values, whatever its order or implementation. */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof Attributes && asMap().equals(((Attributes) o).asMap());
    }

    @Override
    public int hashCode() {
        return asMap().hashCode();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    static final class Builder implements AttributesBuilder {
        private Object[] keysAndValues = new Object[48];
        private int size;

        private Builder() {}

        @Override
        public SpanAttributes build() {
            return new SpanAttributes(Arrays.copyOf(keysAndValues, 2 * size), size);
        }

        @Override
        public <T> AttributesBuilder put(AttributeKey<Long> key, int value) {
            return put(key, (long) value);
        }

        @Override
        public <T> AttributesBuilder put(AttributeKey<T> key, T value) {
            if (key == null || key.getKey().isEmpty() || value == null) {
                return this;
            }
            for (int i = 0; i < size; i++) {
                Object k = keysAndValues[2 * i];
                if (k == key || k.equals(key)) {
                    keysAndValues[2 * i + 1] = value;
                    return this;
                }
            }
            if (2 * size == keysAndValues.length) {
                keysAndValues = Arrays.copyOf(keysAndValues, keysAndValues.length * 2);
            }
            keysAndValues[2 * size] = key;
            keysAndValues[2 * size + 1] = value;
            size++;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public AttributesBuilder putAll(Attributes attributes) {
            attributes.forEach((k, v) -> put((AttributeKey<Object>) k, v));
            return this;
        }
    }
}
